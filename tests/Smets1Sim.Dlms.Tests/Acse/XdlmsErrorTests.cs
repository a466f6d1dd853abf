using System.Buffers;
using Smets1Sim.Dlms.Xdlms;
using static Smets1Sim.Dlms.Tests.Acse.AcseVectors;

namespace Smets1Sim.Dlms.Tests.Acse;

[TestClass]
public sealed class XdlmsErrorTests
{
    [TestMethod]
    [DataRow(InitiateError.Other, "0E010600")]
    [DataRow(InitiateError.DlmsVersionTooLow, "0E010601")]
    [DataRow(InitiateError.IncompatibleConformance, "0E010602")]
    [DataRow(InitiateError.PduSizeTooShort, "0E010603")]
    [DataRow(InitiateError.RefusedByTheVdeHandler, "0E010604")]
    public void ForInitiate_EachInitiateError_EncodesAndDecodes(InitiateError error, string hex)
    {
        ConfirmedServiceError encoded = ConfirmedServiceError.ForInitiate(error);
        Assert.AreEqual(hex, Convert.ToHexString(encoded.ToArray()));

        ConfirmedServiceError decoded = ConfirmedServiceError.Decode(Bytes(hex));
        Assert.AreEqual(ConfirmedServiceErrorChoice.InitiateError, decoded.Service);
        Assert.AreEqual(ServiceErrorType.Initiate, decoded.ErrorType);
        Assert.AreEqual(error, decoded.InitiateError);
        Assert.AreEqual(encoded, decoded);
    }

    [TestMethod]
    public void RoundTrip_EveryServiceAndErrorType_ReproducesBytes()
    {
        foreach (ConfirmedServiceErrorChoice service in Enum.GetValues<ConfirmedServiceErrorChoice>())
        {
            foreach (ServiceErrorType type in Enum.GetValues<ServiceErrorType>())
            {
                var error = new ConfirmedServiceError { Service = service, ErrorType = type, Value = (byte)((int)service * 11) };
                byte[] encoded = error.ToArray();
                Assert.AreEqual($"0E{(byte)service:X2}{(byte)type:X2}{error.Value:X2}", Convert.ToHexString(encoded));
                ConfirmedServiceError decoded = ConfirmedServiceError.Decode(encoded);
                Assert.AreEqual(error, decoded);
                Assert.AreEqual(type == ServiceErrorType.Initiate ? (InitiateError)error.Value : null, decoded.InitiateError);
            }
        }
    }

    [TestMethod]
    [DataRow("Empty", "", 0)]
    [DataRow("BadTag", "2E010601", 0)]
    [DataRow("ReservedServiceZero", "0E000601", 1)]
    [DataRow("UnknownService", "0E140601", 1)]
    [DataRow("UnknownErrorType", "0E010B01", 2)]
    [DataRow("MissingValue", "0E0106", 3)]
    [DataRow("TrailingBytes", "0E01060100", 4)]
    public void DecodeConfirmedServiceError_Malformed_ThrowsProtocolException(string defect, string hex, int offset)
    {
        DlmsProtocolException ex = AssertMalformed(b => ConfirmedServiceError.Decode(b), hex, offset);
        Assert.IsFalse(string.IsNullOrEmpty(ex.Reason), defect);
    }

    [TestMethod]
    [DataRow(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.OperationNotPossible, "D80101")]
    [DataRow(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.ServiceNotSupported, "D80102")]
    [DataRow(ExceptionStateError.ServiceUnknown, ExceptionServiceError.OtherReason, "D80203")]
    [DataRow(ExceptionStateError.ServiceUnknown, ExceptionServiceError.PduTooLong, "D80204")]
    [DataRow(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.DecipheringError, "D80105")]
    public void RoundTrip_ExceptionResponseWithoutCounter_ReproducesBytes(ExceptionStateError state, ExceptionServiceError service, string hex)
    {
        var response = new ExceptionResponse { StateError = state, ServiceError = service };
        Assert.AreEqual(hex, Convert.ToHexString(response.ToArray()));
        Assert.AreEqual(response, ExceptionResponse.Decode(Bytes(hex)));
    }

    [TestMethod]
    [DataRow(0u, "D8010600000000")]
    [DataRow(0x01234568u, "D8010601234568")]
    [DataRow(uint.MaxValue, "D80106FFFFFFFF")]
    public void RoundTrip_InvocationCounterError_CarriesExpectedCounter(uint expected, string hex)
    {
        var response = new ExceptionResponse
        {
            StateError = ExceptionStateError.ServiceNotAllowed,
            ServiceError = ExceptionServiceError.InvocationCounterError,
            ExpectedInvocationCounter = expected,
        };
        Assert.AreEqual(hex, Convert.ToHexString(response.ToArray()));
        Assert.AreEqual(expected, ExceptionResponse.Decode(Bytes(hex)).ExpectedInvocationCounter);
    }

    [TestMethod]
    [DataRow(ExceptionServiceError.InvocationCounterError, null)]
    [DataRow(ExceptionServiceError.DecipheringError, 5u)]
    public void Encode_CounterInconsistentWithServiceError_ThrowsWithoutWriting(ExceptionServiceError service, uint? counter)
    {
        var response = new ExceptionResponse { StateError = ExceptionStateError.ServiceNotAllowed, ServiceError = service, ExpectedInvocationCounter = counter };
        var writer = new ArrayBufferWriter<byte>();
        Assert.ThrowsExactly<InvalidOperationException>(() => response.Encode(writer));
        Assert.AreEqual(0, writer.WrittenCount);
    }

    [TestMethod]
    [DataRow("Empty", "", 0)]
    [DataRow("BadTag", "D70102", 0)]
    [DataRow("StateErrorZero", "D80002", 1)]
    [DataRow("StateErrorUnknown", "D80302", 1)]
    [DataRow("ServiceErrorZero", "D80100", 2)]
    [DataRow("ServiceErrorUnknown", "D80107", 2)]
    [DataRow("MissingServiceError", "D801", 2)]
    [DataRow("CounterTruncated", "D80106000000", 3)]
    [DataRow("CounterMissing", "D80106", 3)]
    [DataRow("TrailingBytes", "D8010200", 3)]
    [DataRow("TrailingAfterCounter", "D801060000000000", 7)]
    public void DecodeExceptionResponse_Malformed_ThrowsProtocolException(string defect, string hex, int offset)
    {
        DlmsProtocolException ex = AssertMalformed(b => ExceptionResponse.Decode(b), hex, offset);
        Assert.IsFalse(string.IsNullOrEmpty(ex.Reason), defect);
    }
}
