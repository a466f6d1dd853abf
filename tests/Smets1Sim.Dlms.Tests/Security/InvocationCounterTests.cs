using System.Collections.Concurrent;
using Smets1Sim.Dlms.Security;

namespace Smets1Sim.Dlms.Tests.Security;

[TestClass]
public sealed class InvocationCounterTests
{
    [TestMethod]
    public void Outgoing_Next_ReturnsConsecutiveValuesFromTheStart()
    {
        var counter = new OutgoingInvocationCounter(250);
        Assert.AreEqual(250u, counter.NextValue);
        Assert.AreEqual(250u, counter.Next());
        Assert.AreEqual(251u, counter.Next());
        Assert.AreEqual(252u, counter.NextValue);
        Assert.IsFalse(counter.IsExhausted);
    }

    [TestMethod]
    public void Outgoing_AtMaximum_UsesLastValueThenThrowsExhausted()
    {
        var counter = new OutgoingInvocationCounter(0xFFFFFFFE);
        Assert.AreEqual(0xFFFFFFFEu, counter.Next());
        Assert.AreEqual(0xFFFFFFFFu, counter.Next());
        Assert.IsTrue(counter.IsExhausted);
        Assert.IsNull(counter.NextValue);
        DlmsSecurityException ex = Assert.ThrowsExactly<DlmsSecurityException>(() => counter.Next());
        Assert.AreEqual(SecurityFailure.InvocationCounterExhausted, ex.Failure);
        Assert.ThrowsExactly<DlmsSecurityException>(() => counter.Next());
    }

    [TestMethod]
    public void Outgoing_ConcurrentNext_NeverHandsOutAValueTwice()
    {
        var counter = new OutgoingInvocationCounter(1000);
        var seen = new ConcurrentBag<uint>();
        Parallel.For(0, 4, _ =>
        {
            for (int i = 0; i < 5000; i++)
            {
                seen.Add(counter.Next());
            }
        });
        Assert.HasCount(20000, seen.Distinct());
        Assert.AreEqual(21000u, counter.NextValue);
    }

    [TestMethod]
    public void Incoming_FirstValueMayBeZero()
    {
        var guard = new IncomingInvocationCounter();
        Assert.IsNull(guard.HighestAccepted);
        Assert.IsTrue(guard.WouldAccept(0));
        guard.Accept(0);
        Assert.AreEqual(0u, guard.HighestAccepted);
    }

    [TestMethod]
    [DataRow(5u, 5u, DisplayName = "SameIcTwice")]
    [DataRow(5u, 4u, DisplayName = "LowerIc")]
    [DataRow(5u, 0u, DisplayName = "ZeroAfterHigher")]
    [DataRow(0xFFFFFFFFu, 0xFFFFFFFFu, DisplayName = "MaximumTwice")]
    public void Incoming_NotAboveHighest_ThrowsReplay(uint first, uint second)
    {
        var guard = new IncomingInvocationCounter();
        guard.Accept(first);
        Assert.IsFalse(guard.WouldAccept(second));
        Assert.IsFalse(guard.TryAccept(second));
        DlmsSecurityException ex = Assert.ThrowsExactly<DlmsSecurityException>(() => guard.Accept(second));
        Assert.AreEqual(SecurityFailure.Replay, ex.Failure);
        Assert.AreEqual(first, guard.HighestAccepted);
    }

    [TestMethod]
    public void Incoming_GapsAreAllowed()
    {
        var guard = new IncomingInvocationCounter();
        guard.Accept(1);
        guard.Accept(7);
        Assert.IsTrue(guard.TryAccept(1000));
        Assert.AreEqual(1000u, guard.HighestAccepted);
    }

    [TestMethod]
    public void Incoming_WouldAccept_DoesNotChangeState()
    {
        var guard = new IncomingInvocationCounter(10);
        Assert.IsTrue(guard.WouldAccept(11));
        Assert.IsTrue(guard.WouldAccept(11));
        Assert.AreEqual(10u, guard.HighestAccepted);
    }

    [TestMethod]
    public void Incoming_ResetForNewKey_AcceptsRestartedCounter()
    {
        var guard = new IncomingInvocationCounter();
        guard.Accept(500);
        guard.Reset();
        Assert.IsNull(guard.HighestAccepted);
        guard.Accept(0);
        guard.Accept(250);
        Assert.ThrowsExactly<DlmsSecurityException>(() => guard.Accept(250));
    }

    [TestMethod]
    public void Incoming_Concurrent_AcceptsEachValueOnce()
    {
        var guard = new IncomingInvocationCounter();
        int accepted = 0;
        Parallel.For(0, 4, _ =>
        {
            for (uint ic = 0; ic < 2000; ic++)
            {
                if (guard.TryAccept(ic))
                {
                    Interlocked.Increment(ref accepted);
                }
            }
        });
        Assert.IsLessThanOrEqualTo(2000, accepted);
        Assert.AreEqual(1999u, guard.HighestAccepted);
    }
}
