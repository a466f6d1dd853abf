using Smets1Sim.Cosem.Tests.Fakes;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Tests.Classes;

[TestClass]
public sealed class SecuritySetupObjectTests
{
    // docs/dlms-wire.md key_transfer example: array of one {enum 0 (global unicast EK), octet-string(24) RFC 3394 wrap of
    // 00112233..FF under KEK 000102..0F}.
    private const string WrappedKeyHex = "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5";
    private const string KeyTransferExampleHex = "0101020216000918" + WrappedKeyHex;

    private static CosemObject SecuritySetup() => TestCosem.Create(64, "0-0:43.0.0.255");

    private static CosemContext Context(ISecurityHost? host) => TestCosem.Context(TestCosem.NewClock(), security: host);

    private static DlmsStructure Key(byte id, int length) => DlmsValue.Structure(new DlmsEnum(id), DlmsValue.OctetString(new byte[length]));

    public static IEnumerable<object[]> MalformedKeyTransfers()
    {
        yield return ["NotAnArray", Key(0, 24)];
        yield return ["EmptyArray", DlmsValue.Array()];
        yield return ["KeyIdNotEnum", DlmsValue.Array(DlmsValue.Structure(new DlmsUnsigned(0), DlmsValue.OctetString(new byte[24])))];
        yield return ["WrappedKeyNotOctetString", DlmsValue.Array(DlmsValue.Structure(new DlmsEnum(0), DlmsValue.VisibleString("key")))];
        yield return ["StructureTooLong", DlmsValue.Array(DlmsValue.Structure(new DlmsEnum(0), DlmsValue.OctetString(new byte[24]), DlmsValue.Null))];
        yield return ["EntryNotStructure", DlmsValue.Array(DlmsValue.OctetString(new byte[24]))];
        yield return ["SecondEntryBad", DlmsValue.Array(Key(0, 24), new DlmsEnum(2))];
        yield return ["FiveEntries", DlmsValue.Array(Key(0, 24), Key(1, 24), Key(2, 24), Key(3, 24), Key(0, 24))];
        yield return ["Null", DlmsValue.Null];
    }

    [TestMethod]
    public void Get_Attributes_FromSecurityHost()
    {
        var host = new FakeSecurityHost { SecurityPolicy = (SecurityPolicy)0x64, SecuritySuite = 0 };
        CosemObject o = SecuritySetup();
        CosemContext context = Context(host);

        Assert.AreEqual(new DlmsEnum(0x64), o.Read(2, context));
        Assert.AreEqual(new DlmsEnum(0), o.Read(3, context));
        Assert.AreEqual(DlmsValue.OctetString(Convert.FromHexString("4D4D4D0000BC614E")), o.Read(4, context));
        Assert.AreEqual(DlmsValue.OctetString(Convert.FromHexString("4D4D4D0000000001")), o.Read(5, context));
        Assert.AreEqual(DlmsValue.Array(), o.Read(6, context));
    }

    [TestMethod]
    public void Get_NoSecurityHost_ObjectUnavailable()
    {
        Assert.AreEqual(DataAccessResult.ObjectUnavailable, SecuritySetup().Get(2, null, Context(null)).Result);
    }

    [TestMethod]
    public void Set_Policy_ReadWriteDenied()
    {
        var host = new FakeSecurityHost();

        Assert.AreEqual(DataAccessResult.ReadWriteDenied, SecuritySetup().Set(2, new DlmsEnum(0), null, Context(host)));
        Assert.IsEmpty(host.ActivateCalls);
    }

    [TestMethod]
    public void Invoke_KeyTransferDomainExample_ReachesHostAsOneKey()
    {
        var host = new FakeSecurityHost();
        DlmsValue parameters = AxdrDecoder.Decode(Convert.FromHexString(KeyTransferExampleHex));

        ActionOutcome outcome = SecuritySetup().Invoke(2, parameters, Context(host));

        Assert.AreEqual(ActionOutcome.Success(), outcome);
        Assert.HasCount(1, host.KeyTransferCalls);
        List<(byte KeyId, byte[] WrappedKey)> keys = host.KeyTransferCalls[0];
        Assert.HasCount(1, keys);
        Assert.AreEqual((byte)0, keys[0].KeyId);
        Assert.HasCount(24, keys[0].WrappedKey);
        CollectionAssert.AreEqual(Convert.FromHexString(WrappedKeyHex), keys[0].WrappedKey);
    }

    [TestMethod]
    public void Invoke_KeyTransferFourKeys_ReachesHostInOrder()
    {
        var host = new FakeSecurityHost();

        ActionOutcome outcome = SecuritySetup().Invoke(2, DlmsValue.Array(Key(2, 24), Key(0, 24), Key(1, 24), Key(3, 24)), Context(host));

        Assert.AreEqual(ActionResult.Success, outcome.Result);
        CollectionAssert.AreEqual(new byte[] { 2, 0, 1, 3 }, host.KeyTransferCalls.Single().Select(k => k.KeyId).ToArray());
    }

    [TestMethod]
    [DynamicData(nameof(MalformedKeyTransfers))]
    public void Invoke_KeyTransferMalformed_TypeUnmatchedAndHostNeverCalled(string defect, DlmsValue parameters)
    {
        var host = new FakeSecurityHost();

        ActionOutcome outcome = SecuritySetup().Invoke(2, parameters, Context(host));

        Assert.AreEqual(ActionResult.TypeUnmatched, outcome.Result, defect);
        Assert.IsEmpty(host.KeyTransferCalls, defect);
    }

    [TestMethod]
    public void Invoke_KeyTransferNoParameters_TypeUnmatched()
    {
        var host = new FakeSecurityHost();

        Assert.AreEqual(ActionResult.TypeUnmatched, SecuritySetup().Invoke(2, null, Context(host)).Result);
        Assert.IsEmpty(host.KeyTransferCalls);
    }

    [TestMethod]
    [DataRow(ActionResult.OtherReason)]
    [DataRow(ActionResult.TemporaryFailure)]
    public void Invoke_KeyTransferRefusedByHost_ResultPropagated(ActionResult refusal)
    {
        var host = new FakeSecurityHost { KeyTransferResult = refusal };

        ActionOutcome outcome = SecuritySetup().Invoke(2, AxdrDecoder.Decode(Convert.FromHexString(KeyTransferExampleHex)), Context(host));

        Assert.AreEqual(ActionOutcome.Failure(refusal), outcome);
        Assert.HasCount(1, host.KeyTransferCalls);
    }

    [TestMethod]
    public void Invoke_SecurityActivateEnum_DelegatesPolicy()
    {
        var host = new FakeSecurityHost();

        ActionOutcome outcome = SecuritySetup().Invoke(1, new DlmsEnum(0x64), Context(host));

        Assert.AreEqual(ActionResult.Success, outcome.Result);
        CollectionAssert.AreEqual(new byte[] { 0x64 }, host.ActivateCalls);
    }

    [TestMethod]
    public void Invoke_SecurityActivateRefusedByHost_ResultPropagated()
    {
        var host = new FakeSecurityHost { ActivateResult = ActionResult.ReadWriteDenied };

        Assert.AreEqual(ActionResult.ReadWriteDenied, SecuritySetup().Invoke(1, new DlmsEnum(0), Context(host)).Result);
    }

    [TestMethod]
    public void Invoke_SecurityActivateNotEnum_TypeUnmatchedAndHostNeverCalled()
    {
        var host = new FakeSecurityHost();

        Assert.AreEqual(ActionResult.TypeUnmatched, SecuritySetup().Invoke(1, new DlmsUnsigned(0x64), Context(host)).Result);
        Assert.IsEmpty(host.ActivateCalls);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void Invoke_NoSecurityHost_ObjectUnavailable(int methodId)
    {
        Assert.AreEqual(ActionResult.ObjectUnavailable, SecuritySetup().Invoke(methodId, new DlmsEnum(0), Context(null)).Result);
    }

    [TestMethod]
    [DataRow(3)]
    [DataRow(8)]
    public void Invoke_CertificateMethods_ReadWriteDenied(int methodId)
    {
        var host = new FakeSecurityHost();

        Assert.AreEqual(ActionResult.ReadWriteDenied, SecuritySetup().Invoke(methodId, DlmsValue.Array(), Context(host)).Result);
        Assert.IsEmpty(host.KeyTransferCalls);
        Assert.IsEmpty(host.ActivateCalls);
    }
}
