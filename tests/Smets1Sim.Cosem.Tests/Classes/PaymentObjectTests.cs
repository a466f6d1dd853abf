using Microsoft.Extensions.Time.Testing;
using Smets1Sim.Cosem.Tests.Fakes;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Tests.Classes;

[TestClass]
public sealed class PaymentObjectTests
{
    private static readonly CosemContext Context = TestCosem.Context(TestCosem.NewClock());

    private static CosemObject Account(params (int Id, DlmsValue Value)[] values) => TestCosem.Create(111, "0-0:19.0.0.255", values);

    private static CosemObject Credit(int amount) => TestCosem.Create(112, "0-0:19.10.0.255", (2, new DlmsDoubleLong(amount)), (8, new DlmsEnum(1)));

    private static CosemObject TokenGateway() => TestCosem.Create(115, "0-0:19.40.0.255");

    [TestMethod]
    [DataRow(250, 1250)]
    [DataRow(-1500, -500)]
    public void Invoke_CreditUpdateAmount_Adds(int amount, int expected)
    {
        CosemObject credit = Credit(1000);

        Assert.AreEqual(ActionResult.Success, credit.Invoke(1, new DlmsDoubleLong(amount), Context).Result);

        Assert.AreEqual(new DlmsDoubleLong(expected), credit.Read(2, Context));
    }

    [TestMethod]
    public void Invoke_CreditUpdateAmountWithoutCurrentAmount_StartsFromZero()
    {
        CosemObject credit = TestCosem.Create(112, "0-0:19.10.0.255");

        credit.Invoke(1, new DlmsDoubleLong(300), Context);

        Assert.AreEqual(new DlmsDoubleLong(300), credit.Read(2, Context));
    }

    [TestMethod]
    public void Invoke_CreditSetAmountToValue_Sets()
    {
        CosemObject credit = Credit(1000);

        Assert.AreEqual(ActionResult.Success, credit.Invoke(2, new DlmsDoubleLong(42), Context).Result);

        Assert.AreEqual(new DlmsDoubleLong(42), credit.Read(2, Context));
    }

    [TestMethod]
    public void Invoke_CreditInvokeCredit_SetsCreditStatusSelectedInvoked()
    {
        CosemObject credit = Credit(1000);
        var changes = new List<int>();
        credit.AttributeChanged += (_, id) => changes.Add(id);

        Assert.AreEqual(ActionResult.Success, credit.Invoke(3, new DlmsEnum(0), Context).Result);

        Assert.AreEqual(new DlmsEnum(2), credit.Read(8, Context), "credit_status (2) selected/invoked");
        CollectionAssert.AreEqual(new[] { 8 }, changes);
        Assert.AreEqual(new DlmsDoubleLong(1000), credit.Read(2, Context));
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void Invoke_CreditAmountWrongType_TypeUnmatchedAndUnchanged(int methodId)
    {
        CosemObject credit = Credit(1000);

        Assert.AreEqual(ActionResult.TypeUnmatched, credit.Invoke(methodId, new DlmsDoubleLongUnsigned(5), Context).Result);
        Assert.AreEqual(ActionResult.TypeUnmatched, credit.Invoke(methodId, null, Context).Result);

        Assert.AreEqual(new DlmsDoubleLong(1000), credit.Read(2, Context));
    }

    [TestMethod]
    [DataRow(1, (byte)2, DisplayName = "activate_account: active")]
    [DataRow(2, (byte)3, DisplayName = "close_account: closed")]
    [DataRow(3, (byte)1, DisplayName = "reset_account: new")]
    public void Invoke_AccountMethod_SetsStatusKeepingMode(int methodId, byte status)
    {
        // account_mode_and_status {enum payment_mode (2 prepayment), enum account_status (1 new)}.
        CosemObject account = Account((2, DlmsValue.Structure(new DlmsEnum(2), new DlmsEnum(1))));

        Assert.AreEqual(ActionResult.Success, account.Invoke(methodId, new DlmsInteger(0), Context).Result);

        Assert.AreEqual(DlmsValue.Structure(new DlmsEnum(2), new DlmsEnum(status)), account.Read(2, Context));
    }

    [TestMethod]
    public void Invoke_AccountActivateThenClose_Closed()
    {
        CosemObject account = Account();

        account.Invoke(1, new DlmsInteger(0), Context);
        account.Invoke(2, new DlmsInteger(0), Context);

        Assert.AreEqual(DlmsValue.Structure(new DlmsEnum(1), new DlmsEnum(3)), account.Read(2, Context));
    }

    [TestMethod]
    public void Invoke_TokenGatewayEnter_StoresTokenAndTime()
    {
        FakeTimeProvider clock = TestCosem.NewClock();
        CosemContext context = TestCosem.Context(clock);
        CosemObject gateway = TokenGateway();
        clock.Advance(TimeSpan.FromMinutes(5));
        DlmsOctetString token = DlmsValue.OctetString("12345678901234567890"u8);

        Assert.AreEqual(ActionResult.Success, gateway.Invoke(1, token, context).Result);

        Assert.AreEqual(token, gateway.Read(2, context));
        Assert.AreEqual(TestCosem.DateTime(TestCosem.Start.AddMinutes(5)), gateway.Read(3, context));
    }

    [TestMethod]
    public void Invoke_TokenGatewayEnterNotOctetString_TypeUnmatchedAndNothingStored()
    {
        CosemObject gateway = TokenGateway();

        Assert.AreEqual(ActionResult.TypeUnmatched, gateway.Invoke(1, DlmsValue.VisibleString("1234"), Context).Result);

        Assert.AreEqual(DlmsValue.Null, gateway.Read(2, Context));
        Assert.AreEqual(DlmsValue.Null, gateway.Read(3, Context));
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(5)]
    public void Invoke_ChargeMethod_Success(int methodId)
    {
        CosemObject charge = TestCosem.Create(113, "0-0:19.20.0.255");

        Assert.AreEqual(ActionResult.Success, charge.Invoke(methodId, new DlmsInteger(0), Context).Result);
    }

    [TestMethod]
    public void Set_CreditAmountSameType_StoredAndOtherTypeRefused()
    {
        CosemObject credit = Credit(1000);

        Assert.AreEqual(DataAccessResult.Success, credit.Set(2, new DlmsDoubleLong(7), null, Context));
        Assert.AreEqual(DataAccessResult.TypeUnmatched, credit.Set(2, new DlmsDoubleLongUnsigned(7), null, Context));

        Assert.AreEqual(new DlmsDoubleLong(7), credit.Read(2, Context));
    }

    [TestMethod]
    public void ExportState_ImportState_KeepsCreditAfterUpdate()
    {
        CosemObject before = Credit(1000);
        before.Invoke(1, new DlmsDoubleLong(500), Context);
        CosemObject after = Credit(1000);

        after.ImportState(before.ExportState());

        Assert.AreEqual(new DlmsDoubleLong(1500), after.Read(2, Context));
    }
}
