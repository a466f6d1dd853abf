using System.Buffers;
using Smets1Sim.Dlms.Acse;
using static Smets1Sim.Dlms.Tests.Acse.AcseVectors;

namespace Smets1Sim.Dlms.Tests.Acse;

[TestClass]
public sealed class AareApduTests
{
    [TestMethod]
    public void Decode_HlsGmacAareVector_ReturnsEveryField()
    {
        AareApdu aare = AareApdu.Decode(Bytes(HlsGmacAare));

        Assert.AreEqual(ApplicationContextName.LogicalName, aare.ApplicationContextName);
        Assert.AreEqual(AssociationResult.Accepted, aare.Result);
        Assert.AreEqual(AcseServiceUserDiagnostic.AuthenticationRequired, aare.ServiceUserDiagnostic);
        Assert.IsNull(aare.ServiceProviderDiagnostic);
        Assert.IsNull(aare.RespondingApTitle);
        Assert.IsTrue(aare.ResponderAcseRequirements);
        Assert.AreEqual(AuthenticationMechanism.HlsGmac, aare.MechanismName);
        AssertBytes("P6wRJ21F"u8.ToArray(), aare.RespondingAuthenticationValue, nameof(aare.RespondingAuthenticationValue));

        InitiateResponse initiate = InitiateResponse.Decode(aare.UserInformation!.Value.Span);
        Assert.AreEqual((Conformance)0x00501F, initiate.NegotiatedConformance);
        Assert.AreEqual(Conformance.PriorityMgmtSupported | Conformance.BlockTransferWithGetOrRead | Conformance.Get
            | Conformance.Set | Conformance.SelectiveAccess | Conformance.EventNotification | Conformance.Action, initiate.NegotiatedConformance);
        Assert.AreEqual((ushort)0x01F4, initiate.ServerMaxReceivePduSize);
        Assert.AreEqual((ushort)7, initiate.VaaName);
        Assert.AreEqual((byte)6, initiate.NegotiatedDlmsVersion);
        Assert.IsNull(initiate.NegotiatedQualityOfService);
    }

    [TestMethod]
    [DataRow(HlsGmacAare)]
    [DataRow(MinimalAare)]
    public void Encode_DecodedVector_ReproducesBytes(string hex)
    {
        Assert.AreEqual(hex, AareApdu.Decode(Bytes(hex)).ToHex());
    }

    [TestMethod]
    public void Encode_HlsGmacAareFromFields_MatchesVector()
    {
        var aare = new AareApdu
        {
            ApplicationContextName = ApplicationContextName.LogicalName,
            Result = AssociationResult.Accepted,
            ServiceUserDiagnostic = AcseServiceUserDiagnostic.AuthenticationRequired,
            ResponderAcseRequirements = true,
            MechanismName = AuthenticationMechanism.HlsGmac,
            RespondingAuthenticationValue = "P6wRJ21F"u8.ToArray(),
            UserInformation = new InitiateResponse
            {
                NegotiatedConformance = (Conformance)0x00501F,
                ServerMaxReceivePduSize = 0x01F4,
            }.ToArray(),
        };

        Assert.AreEqual(HlsGmacAare, aare.ToHex());
    }

    [TestMethod]
    [DataRow(AcseServiceProviderDiagnostic.Null, "A305A203020100")]
    [DataRow(AcseServiceProviderDiagnostic.NoReasonGiven, "A305A203020101")]
    [DataRow(AcseServiceProviderDiagnostic.NoCommonAcseVersion, "A305A203020102")]
    public void Encode_ServiceProviderDiagnostic_UsesChoiceTwo(AcseServiceProviderDiagnostic diagnostic, string expected)
    {
        var aare = new AareApdu
        {
            ApplicationContextName = ApplicationContextName.LogicalName,
            Result = AssociationResult.RejectedTransient,
            ServiceProviderDiagnostic = diagnostic,
        };

        string hex = aare.ToHex();
        Assert.AreEqual("6117A109060760857405080101A203020102" + expected, hex);
        AareApdu decoded = AareApdu.Decode(Bytes(hex));
        Assert.AreEqual(diagnostic, decoded.ServiceProviderDiagnostic);
        Assert.IsNull(decoded.ServiceUserDiagnostic);
    }

    [TestMethod]
    public void RoundTrip_EveryDiagnosticAndResult_ReproducesBytes()
    {
        foreach (AssociationResult result in Enum.GetValues<AssociationResult>())
        {
            foreach (AcseServiceUserDiagnostic diagnostic in Enum.GetValues<AcseServiceUserDiagnostic>())
            {
                var aare = new AareApdu { ApplicationContextName = ApplicationContextName.ShortName, Result = result, ServiceUserDiagnostic = diagnostic };
                AareApdu decoded = AareApdu.Decode(aare.ToArray());
                Assert.AreEqual(result, decoded.Result);
                Assert.AreEqual(diagnostic, decoded.ServiceUserDiagnostic);
                Assert.AreEqual(aare.ToHex(), decoded.ToHex());
            }
        }
    }

    [TestMethod]
    public void RoundTrip_EveryCombinationOfOptionalFields_ReproducesFieldsAndBytes()
    {
        const int optionalFields = 12;
        for (int mask = 0; mask < 1 << optionalFields; mask++)
        {
            AareApdu original = Build(mask);
            byte[] encoded = original.ToArray();
            AareApdu decoded = AareApdu.Decode(encoded);

            AssertSameFields(original, decoded, $"mask {mask}");
            Assert.AreEqual(Convert.ToHexString(encoded), decoded.ToHex(), $"mask {mask}");
        }
    }

    [TestMethod]
    public void Encode_BothDiagnostics_ThrowsWithoutWriting()
    {
        var aare = new AareApdu
        {
            ApplicationContextName = ApplicationContextName.LogicalName,
            Result = AssociationResult.Accepted,
            ServiceUserDiagnostic = AcseServiceUserDiagnostic.Null,
            ServiceProviderDiagnostic = AcseServiceProviderDiagnostic.Null,
        };
        var writer = new ArrayBufferWriter<byte>();
        Assert.ThrowsExactly<InvalidOperationException>(() => aare.Encode(writer));
        Assert.AreEqual(0, writer.WrittenCount);
    }

    [TestMethod]
    public void Encode_NoDiagnostic_ThrowsWithoutWriting()
    {
        var aare = new AareApdu { ApplicationContextName = ApplicationContextName.LogicalName, Result = AssociationResult.Accepted };
        var writer = new ArrayBufferWriter<byte>();
        Assert.ThrowsExactly<InvalidOperationException>(() => aare.Encode(writer));
        Assert.AreEqual(0, writer.WrittenCount);
    }

    // MinimalAare = 61 17 | A1 09 06 07 60 85 74 05 08 01 01 | A2 03 02 01 00 | A3 05 A1 03 02 01 00
    //               0  1    2                                  13               18
    [TestMethod]
    [DataRow("Empty", "", 0)]
    [DataRow("BadTag", "6217A109060760857405080101A203020100A305A103020100", 0)]
    [DataRow("AarqTag", "6017A109060760857405080101A203020100A305A103020100", 0)]
    [DataRow("IndefiniteLength", "6180A109060760857405080101A203020100A305A1030201000000", 1)]
    [DataRow("LengthOverflow", "6118A109060760857405080101A203020100A305A103020100", 1)]
    [DataRow("TrailingBytes", "6117A109060760857405080101A203020100A305A10302010000", 25)]
    [DataRow("MissingResult", "610BA109060760857405080101", 13)]
    [DataRow("MissingDiagnostic", "6110A109060760857405080101A203020100", 18)]
    [DataRow("ResultOutOfRange", "6117A109060760857405080101A203020103A305A103020100", 13)]
    [DataRow("ResultNegative", "6117A109060760857405080101A2030201FFA305A103020100", 13)]
    [DataRow("ResultNonMinimal", "6118A109060760857405080101A20402020000A305A103020100", 17)]
    [DataRow("ResultNotInteger", "6117A109060760857405080101A203040100A305A103020100", 15)]
    [DataRow("ResultIntegerOverrunsParent", "6117A109060760857405080101A203020200A305A103020100", 16)]
    [DataRow("DiagnosticUnknownChoice", "6117A109060760857405080101A203020100A305A303020100", 20)]
    [DataRow("DiagnosticUserOutOfRange", "6117A109060760857405080101A203020100A305A10302010F", 20)]
    [DataRow("DiagnosticProviderOutOfRange", "6117A109060760857405080101A203020100A305A203020103", 20)]
    [DataRow("DiagnosticBothChoices", "611CA109060760857405080101A203020100A30AA103020100A203020100", 25)]
    [DataRow("DiagnosticEmpty", "6112A109060760857405080101A203020100A300", 20)]
    [DataRow("DiagnosticChildOverrunsParent", "6117A109060760857405080101A203020100A305A104020100", 21)]
    [DataRow("UnknownElement", "6119A109060760857405080101A203020100A305A1030201008B00", 25)]
    [DataRow("OutOfOrder", "611FA109060760857405080101A203020100A305A10302010088020780A4020400", 29)]
    [DataRow("WrongOidPrefix", "6117A109060760857405070101A203020100A305A103020100", 6)]
    [DataRow("MechanismWrongKind", "6120A109060760857405080101A203020100A305A103020100890760857405080105", 27)]
    [DataRow("TruncatedMechanismOid", "611FA109060760857405080101A203020100A305A1030201008906608574050802", 27)]
    [DataRow("BadAcseRequirements", "611BA109060760857405080101A203020100A305A10302010088020680", 27)]
    [DataRow("AuthValueNotCharString", "611DA109060760857405080101A203020100A305A103020100AA0404020000", 27)]
    public void Decode_Malformed_ThrowsProtocolException(string defect, string hex, int offset)
    {
        DlmsProtocolException ex = AssertMalformed(b => AareApdu.Decode(b), hex, offset);
        Assert.IsFalse(string.IsNullOrEmpty(ex.Reason), defect);
    }

    private static AareApdu Build(int mask)
    {
        bool Has(int bit) => (mask & (1 << bit)) != 0;
        bool provider = Has(11);
        return new AareApdu
        {
            ProtocolVersion = AarqApduTests.Optional(Has(0), [0x07, 0x80]),
            ApplicationContextName = (ApplicationContextName)(1 + (mask % 4)),
            Result = (AssociationResult)(mask % 3),
            ServiceUserDiagnostic = provider ? null : (AcseServiceUserDiagnostic)(mask % 15),
            ServiceProviderDiagnostic = provider ? (AcseServiceProviderDiagnostic)(mask % 3) : null,
            RespondingApTitle = AarqApduTests.Optional(Has(1), Bytes("4D4D4D0000BC614E")),
            RespondingAeQualifier = AarqApduTests.Optional(Has(2), new byte[200]),
            RespondingApInvocationId = Has(3) ? mask : null,
            RespondingAeInvocationId = Has(4) ? -mask : null,
            ResponderAcseRequirements = Has(5),
            MechanismName = Has(6) ? (AuthenticationMechanism)(mask % 8) : null,
            RespondingAuthenticationValue = AarqApduTests.Optional(Has(7), new byte[8 + (mask % 57)]),
            ImplementationInformation = AarqApduTests.Optional(Has(8), "x"u8.ToArray()),
            UserInformation = AarqApduTests.Optional(Has(9), Has(10) ? Bytes("0E010601") : Bytes(HlsGmacInitiateResponse)),
        };
    }

    private static void AssertSameFields(AareApdu expected, AareApdu actual, string context)
    {
        AssertBytes(expected.ProtocolVersion, actual.ProtocolVersion, $"{context} protocol-version");
        Assert.AreEqual(expected.ApplicationContextName, actual.ApplicationContextName, context);
        Assert.AreEqual(expected.Result, actual.Result, context);
        Assert.AreEqual(expected.ServiceUserDiagnostic, actual.ServiceUserDiagnostic, context);
        Assert.AreEqual(expected.ServiceProviderDiagnostic, actual.ServiceProviderDiagnostic, context);
        AssertBytes(expected.RespondingApTitle, actual.RespondingApTitle, $"{context} responding-AP-title");
        AssertBytes(expected.RespondingAeQualifier, actual.RespondingAeQualifier, $"{context} responding-AE-qualifier");
        Assert.AreEqual(expected.RespondingApInvocationId, actual.RespondingApInvocationId, context);
        Assert.AreEqual(expected.RespondingAeInvocationId, actual.RespondingAeInvocationId, context);
        Assert.AreEqual(expected.ResponderAcseRequirements, actual.ResponderAcseRequirements, context);
        Assert.AreEqual(expected.MechanismName, actual.MechanismName, context);
        AssertBytes(expected.RespondingAuthenticationValue, actual.RespondingAuthenticationValue, $"{context} responding-authentication-value");
        AssertBytes(expected.ImplementationInformation, actual.ImplementationInformation, $"{context} implementation-information");
        AssertBytes(expected.UserInformation, actual.UserInformation, $"{context} user-information");
    }
}
