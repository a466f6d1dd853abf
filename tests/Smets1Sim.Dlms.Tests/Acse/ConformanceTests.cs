using Smets1Sim.Dlms.Acse;

namespace Smets1Sim.Dlms.Tests.Acse;

[TestClass]
public sealed class ConformanceTests
{
    // Green Book conformance block: BER bit number of each named bit.
    [TestMethod]
    [DataRow(Conformance.ReservedZero, 0)]
    [DataRow(Conformance.GeneralProtection, 1)]
    [DataRow(Conformance.GeneralBlockTransfer, 2)]
    [DataRow(Conformance.Read, 3)]
    [DataRow(Conformance.Write, 4)]
    [DataRow(Conformance.UnconfirmedWrite, 5)]
    [DataRow(Conformance.DeltaValueEncoding, 6)]
    [DataRow(Conformance.ReservedSeven, 7)]
    [DataRow(Conformance.Attribute0SupportedWithSet, 8)]
    [DataRow(Conformance.PriorityMgmtSupported, 9)]
    [DataRow(Conformance.Attribute0SupportedWithGet, 10)]
    [DataRow(Conformance.BlockTransferWithGetOrRead, 11)]
    [DataRow(Conformance.BlockTransferWithSetOrWrite, 12)]
    [DataRow(Conformance.BlockTransferWithAction, 13)]
    [DataRow(Conformance.MultipleReferences, 14)]
    [DataRow(Conformance.InformationReport, 15)]
    [DataRow(Conformance.DataNotification, 16)]
    [DataRow(Conformance.Access, 17)]
    [DataRow(Conformance.ParameterizedAccess, 18)]
    [DataRow(Conformance.Get, 19)]
    [DataRow(Conformance.Set, 20)]
    [DataRow(Conformance.SelectiveAccess, 21)]
    [DataRow(Conformance.EventNotification, 22)]
    [DataRow(Conformance.Action, 23)]
    public void Encode_SingleFlag_SetsBerBit(Conformance flag, int berBit)
    {
        byte[] encoded = new InitiateResponse { NegotiatedConformance = flag, ServerMaxReceivePduSize = 0x100 }.ToArray();
        byte[] bits = encoded.AsSpan(7, 3).ToArray();

        byte[] expected = new byte[3];
        expected[berBit / 8] = (byte)(0x80 >> (berBit % 8));
        Assert.AreEqual(Convert.ToHexString(expected), Convert.ToHexString(bits), flag.ToString());
        Assert.AreEqual(flag, InitiateResponse.Decode(encoded).NegotiatedConformance);
    }

    [TestMethod]
    public void Decode_TypicalClientBlock_NamesTheExpectedServices()
    {
        InitiateRequest request = InitiateRequest.Decode(Convert.FromHexString(AcseVectors.PlainInitiateRequest));
        Assert.AreEqual(
            Conformance.PriorityMgmtSupported | Conformance.Attribute0SupportedWithGet | Conformance.BlockTransferWithGetOrRead
            | Conformance.BlockTransferWithSetOrWrite | Conformance.BlockTransferWithAction | Conformance.MultipleReferences
            | Conformance.Get | Conformance.Set | Conformance.SelectiveAccess | Conformance.EventNotification | Conformance.Action,
            request.ProposedConformance);
    }
}
