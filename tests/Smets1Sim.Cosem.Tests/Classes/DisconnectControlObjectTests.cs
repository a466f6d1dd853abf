using Smets1Sim.Cosem.Tests.Fakes;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Tests.Classes;

[TestClass]
public sealed class DisconnectControlObjectTests
{
    private const int RemoteDisconnect = 1;
    private const int RemoteReconnect = 2;

    private static readonly CosemContext Context = TestCosem.Context(TestCosem.NewClock());

    private static CosemObject Breaker(byte mode) => TestCosem.Create(70, "0-0:96.3.10.255", (4, new DlmsEnum(mode)));

    private static void AssertState(CosemObject o, bool outputState, byte controlState)
    {
        Assert.AreEqual(new DlmsBoolean(outputState), o.Read(2, Context), "output_state");
        Assert.AreEqual(new DlmsEnum(controlState), o.Read(3, Context), "control_state");
    }

    [TestMethod]
    public void Create_Defaults_ConnectedInMode1()
    {
        CosemObject o = TestCosem.Create(70, "0-0:96.3.10.255");

        AssertState(o, outputState: true, controlState: 1);
        Assert.AreEqual(new DlmsEnum(1), o.Read(4, Context));
    }

    [TestMethod]
    [DataRow((byte)1)]
    [DataRow((byte)2)]
    public void Invoke_RemoteDisconnect_Disconnected(byte mode)
    {
        CosemObject o = Breaker(mode);

        Assert.AreEqual(ActionResult.Success, o.Invoke(RemoteDisconnect, new DlmsInteger(0), Context).Result);

        AssertState(o, outputState: false, controlState: 0);
    }

    [TestMethod]
    public void Invoke_RemoteReconnectMode1_ConnectedAtOnce()
    {
        CosemObject o = Breaker(1);
        o.Invoke(RemoteDisconnect, new DlmsInteger(0), Context);

        Assert.AreEqual(ActionResult.Success, o.Invoke(RemoteReconnect, new DlmsInteger(0), Context).Result);

        AssertState(o, outputState: true, controlState: 1);
    }

    [TestMethod]
    public void Invoke_RemoteReconnectMode2_ReadyForReconnection()
    {
        CosemObject o = Breaker(2);
        o.Invoke(RemoteDisconnect, new DlmsInteger(0), Context);

        Assert.AreEqual(ActionResult.Success, o.Invoke(RemoteReconnect, new DlmsInteger(0), Context).Result);

        AssertState(o, outputState: false, controlState: 2);
    }

    [TestMethod]
    public void Invoke_RemoteDisconnectFromReadyForReconnection_Disconnected()
    {
        CosemObject o = Breaker(2);
        o.Invoke(RemoteDisconnect, new DlmsInteger(0), Context);
        o.Invoke(RemoteReconnect, new DlmsInteger(0), Context);

        o.Invoke(RemoteDisconnect, new DlmsInteger(0), Context);

        AssertState(o, outputState: false, controlState: 0);
    }

    [TestMethod]
    [DataRow(RemoteDisconnect)]
    [DataRow(RemoteReconnect)]
    public void Invoke_Mode0_RefusedAndStaysConnected(int methodId)
    {
        CosemObject o = Breaker(0);

        Assert.AreEqual(ActionResult.TemporaryFailure, o.Invoke(methodId, new DlmsInteger(0), Context).Result);

        AssertState(o, outputState: true, controlState: 1);
    }

    [TestMethod]
    public void Invoke_RemoteDisconnect_RaisesAttributeChangedForStates()
    {
        CosemObject o = Breaker(1);
        var changes = new List<int>();
        o.AttributeChanged += (_, id) => changes.Add(id);

        o.Invoke(RemoteDisconnect, new DlmsInteger(0), Context);

        CollectionAssert.AreEquivalent(new[] { 2, 3 }, changes);
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(3)]
    public void Set_OutputOrControlState_ReadWriteDenied(int attributeId)
    {
        CosemObject o = Breaker(1);

        Assert.AreEqual(DataAccessResult.ReadWriteDenied, o.Set(attributeId, attributeId == 2 ? new DlmsBoolean(false) : new DlmsEnum(0), null, Context));

        AssertState(o, outputState: true, controlState: 1);
    }

    [TestMethod]
    public void Set_ControlMode_ChangesBehaviour()
    {
        CosemObject o = Breaker(1);

        Assert.AreEqual(DataAccessResult.Success, o.Set(4, new DlmsEnum(0), null, Context));

        Assert.AreEqual(ActionResult.TemporaryFailure, o.Invoke(RemoteDisconnect, new DlmsInteger(0), Context).Result);
    }

    [TestMethod]
    public void ExportState_ImportState_StaysDisconnected()
    {
        CosemObject before = Breaker(1);
        before.Invoke(RemoteDisconnect, new DlmsInteger(0), Context);
        CosemObject after = Breaker(1);

        after.ImportState(before.ExportState());

        AssertState(after, outputState: false, controlState: 0);
    }
}
