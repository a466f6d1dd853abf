using Smets1Sim.Policy.Evaluation;
using Smets1Sim.Policy.Model;
using Smets1Sim.Policy.Policies;
using static Smets1Sim.Policy.Tests.Fakes.Devices;

namespace Smets1Sim.Policy.Tests.Evaluation;

[TestClass]
public sealed class PolicyEvaluatorTests
{
    private static readonly PolicyEvaluator Evaluator = new();

    private static KeyEvaluation Ek(KeyPolicy policy, DeviceHistory device, string now) =>
        Evaluator.EvaluateKey(policy, device, KeyKind.EK, Utc(now));

    [TestMethod]
    public void EvaluateKey_NoRotationAtExactlySevenDays_DueSoonNotOverdue()
    {
        DeviceHistory device = Esme("2024-03-01T10:00:00Z");

        KeyEvaluation result = Ek(BuiltInPolicies.S1sr20, device, "2024-03-08T10:00:00Z");

        Assert.AreEqual(ComplianceStatus.DueSoon, result.Status);
        Assert.AreEqual(Utc("2024-03-08T10:00:00Z"), result.DueAt);
        Assert.AreEqual(DueReason.PostCommissioning, result.DueReason);
    }

    [TestMethod]
    public void EvaluateKey_NoRotationOneTickAfterSevenDays_Overdue()
    {
        DeviceHistory device = Esme("2024-03-01T10:00:00Z");

        KeyEvaluation result = Ek(BuiltInPolicies.Ckmp, device, "2024-03-08T10:00:00.0000001Z");

        Assert.AreEqual(ComplianceStatus.Overdue, result.Status);
        StringAssert.Contains(result.Rule!.Clause, "SEC Appendix AT");
    }

    [TestMethod]
    public void EvaluateKey_RotatedAtExactlySevenDays_CompliantUnderCkmpForever()
    {
        DeviceHistory device = Esme("2024-03-01T10:00:00Z", Both("2024-03-08T10:00:00Z"));

        KeyEvaluation result = Ek(BuiltInPolicies.Ckmp, device, "2034-03-08T10:00:00Z");

        Assert.AreEqual(ComplianceStatus.Compliant, result.Status);
        Assert.IsNull(result.DueAt, "the CKMP has no periodic rotation");
        Assert.AreEqual(Utc("2024-03-08T10:00:00Z"), result.LastRotation);
    }

    [TestMethod]
    public void EvaluateKey_RotationBeforeCommissioning_DoesNotCount()
    {
        DeviceHistory device = Esme("2024-03-01T10:00:00Z", Both("2024-03-01T09:59:59Z"));

        KeyEvaluation result = Ek(BuiltInPolicies.Ckmp, device, "2024-03-09T00:00:00Z");

        Assert.AreEqual(ComplianceStatus.Overdue, result.Status);
        Assert.IsNull(result.LastRotation);
    }

    [TestMethod]
    [DataRow("2023-11-30T12:00:00Z", "2025-02-28T12:00:00Z", DisplayName = "30 Nov + 15 months, common year: 28 Feb")]
    [DataRow("2022-11-30T12:00:00Z", "2024-02-29T12:00:00Z", DisplayName = "30 Nov + 15 months, leap year: 29 Feb")]
    [DataRow("2022-11-29T00:00:00Z", "2024-02-29T00:00:00Z", DisplayName = "29 Nov + 15 months, leap year: 29 Feb")]
    [DataRow("2023-11-29T00:00:00Z", "2025-02-28T00:00:00Z", DisplayName = "29 Nov + 15 months, common year: 28 Feb")]
    [DataRow("2024-02-29T08:30:00Z", "2025-05-29T08:30:00Z", DisplayName = "29 Feb + 15 months: 29 May")]
    [DataRow("2023-05-31T23:59:59Z", "2024-08-31T23:59:59Z", DisplayName = "31 May + 15 months: 31 Aug")]
    [DataRow("2023-10-31T00:00:00Z", "2025-01-31T00:00:00Z", DisplayName = "31 Oct + 15 months: 31 Jan")]
    [DataRow("2022-12-31T00:00:00Z", "2024-03-31T00:00:00Z", DisplayName = "31 Dec + 15 months: 31 Mar")]
    [DataRow("2023-01-31T00:00:00Z", "2024-04-30T00:00:00Z", DisplayName = "31 Jan + 15 months: 30 Apr")]
    public void EvaluateKey_FifteenMonthsAfterRotation_DueAtClampedMonthEnd(string rotated, string expectedDue)
    {
        DeviceHistory device = Esme("2022-01-01T00:00:00Z", Both(rotated));

        KeyEvaluation atDue = Ek(BuiltInPolicies.S1sr20, device, expectedDue);
        KeyEvaluation after = Evaluator.EvaluateKey(BuiltInPolicies.S1sr20, device, KeyKind.EK, Utc(expectedDue).AddTicks(1));

        Assert.AreEqual(Utc(expectedDue), atDue.DueAt);
        Assert.AreEqual(DueReason.Periodic, atDue.DueReason);
        Assert.AreEqual(ComplianceStatus.DueSoon, atDue.Status, "at the deadline itself the key is still in time");
        Assert.AreEqual(ComplianceStatus.Overdue, after.Status);
    }

    [TestMethod]
    public void EvaluateKey_CommissionedOn29February_SevenDaysIsSevenTimes24Hours()
    {
        DeviceHistory device = Esme("2024-02-29T23:00:00Z");

        KeyEvaluation result = Ek(BuiltInPolicies.S1sr20, device, "2024-03-01T00:00:00Z");

        Assert.AreEqual(Utc("2024-03-07T23:00:00Z"), result.DueAt);
    }

    [TestMethod]
    public void EvaluateKey_NonUtcOffsets_ComparedAsInstants()
    {
        var device = Esme("2024-03-01T10:00:00Z") with { CommissionedAt = new DateTimeOffset(2024, 3, 1, 11, 0, 0, TimeSpan.FromHours(1)) };

        KeyEvaluation result = Evaluator.EvaluateKey(BuiltInPolicies.Ckmp, device, KeyKind.EK, new DateTimeOffset(2024, 3, 8, 12, 0, 0, TimeSpan.FromHours(2)));

        Assert.AreEqual(ComplianceStatus.DueSoon, result.Status);
        Assert.AreEqual(TimeSpan.Zero, result.DueAt!.Value.Offset);
    }

    [TestMethod]
    [DataRow("2025-06-01T00:00:00Z", ComplianceStatus.Compliant, DisplayName = "15 months away")]
    [DataRow("2026-07-01T00:00:00Z", ComplianceStatus.Compliant, DisplayName = "30 days and a tick away")]
    [DataRow("2026-07-02T00:00:00Z", ComplianceStatus.DueSoon, DisplayName = "exactly 30 days away")]
    [DataRow("2026-08-01T00:00:00Z", ComplianceStatus.DueSoon, DisplayName = "at the deadline")]
    [DataRow("2026-08-01T00:00:01Z", ComplianceStatus.Overdue, DisplayName = "a second late")]
    public void EvaluateKey_AroundPeriodicDeadline_Status(string now, ComplianceStatus expected)
    {
        DeviceHistory device = Esme("2025-04-01T00:00:00Z", Both("2025-05-01T00:00:00Z"));

        Assert.AreEqual(expected, Ek(BuiltInPolicies.S1sr20, device, now).Status);
    }

    [TestMethod]
    public void EvaluateKey_CustomDueSoonWindow_Honoured()
    {
        DeviceHistory device = Esme("2025-04-01T00:00:00Z", Both("2025-05-01T00:00:00Z"));

        var result = new PolicyEvaluator(TimeSpan.FromDays(60)).EvaluateKey(BuiltInPolicies.S1sr20, device, KeyKind.EK, Utc("2026-06-02T00:00:00Z"));

        Assert.AreEqual(ComplianceStatus.DueSoon, result.Status);
    }

    [TestMethod]
    public void EvaluateKey_LastAttemptFailed_FailedWithReason()
    {
        DeviceHistory device = Esme("2024-01-01T00:00:00Z", [.. Both("2024-01-02T00:00:00Z"), Failed(KeyKind.EK, "2025-03-01T00:00:00Z", "key_transfer refused")]);

        KeyEvaluation ek = Ek(BuiltInPolicies.S1sr20, device, "2025-03-05T00:00:00Z");
        KeyEvaluation ak = Evaluator.EvaluateKey(BuiltInPolicies.S1sr20, device, KeyKind.AK, Utc("2025-03-05T00:00:00Z"));

        Assert.AreEqual(ComplianceStatus.Failed, ek.Status);
        Assert.AreEqual("key_transfer refused", ek.LastFailure!.Reason);
        Assert.AreEqual(Utc("2025-04-02T00:00:00Z"), ek.DueAt, "the due date stays the periodic one");
        Assert.AreEqual(ComplianceStatus.DueSoon, ak.Status);
    }

    [TestMethod]
    public void EvaluateKey_OptionalRotationFailsUnderCkmp_StillCompliant()
    {
        DeviceHistory device = Esme("2024-01-01T00:00:00Z", [.. Both("2024-01-02T00:00:00Z"), Failed(KeyKind.EK, "2025-03-01T00:00:00Z")]);

        KeyEvaluation ckmp = Ek(BuiltInPolicies.Ckmp, device, "2025-03-05T00:00:00Z");
        KeyEvaluation s1sr = Ek(BuiltInPolicies.S1sr20, device, "2025-03-05T00:00:00Z");

        Assert.AreEqual(ComplianceStatus.Compliant, ckmp.Status, "no deadline is open under the CKMP");
        Assert.IsNull(ckmp.LastFailure);
        Assert.AreEqual(ComplianceStatus.Failed, s1sr.Status);
    }

    [TestMethod]
    public void EvaluateKey_FailureThenSuccess_Compliant()
    {
        DeviceHistory device = Esme("2024-01-01T00:00:00Z", [Failed(KeyKind.EK, "2024-01-02T00:00:00Z"), Rotated(KeyKind.EK, "2024-01-03T00:00:00Z")]);

        Assert.AreEqual(ComplianceStatus.Compliant, Ek(BuiltInPolicies.S1sr20, device, "2024-01-04T00:00:00Z").Status);
    }

    [TestMethod]
    public void EvaluateKey_RecoveredAttempt_CountsAsReplacement()
    {
        DeviceHistory device = Esme("2024-01-01T00:00:00Z", new RotationAttempt(KeyKind.EK, Utc("2024-01-03T00:00:00Z"), RotationOutcome.Recovered, "reply lost"));

        KeyEvaluation result = Ek(BuiltInPolicies.S1sr20, device, "2024-01-04T00:00:00Z");

        Assert.AreEqual(ComplianceStatus.Compliant, result.Status);
        Assert.AreEqual(Utc("2025-04-03T00:00:00Z"), result.DueAt);
    }

    [TestMethod]
    public void EvaluateKey_AttemptsInTheFuture_Ignored()
    {
        DeviceHistory device = Esme("2024-01-01T00:00:00Z", Both("2024-01-03T00:00:00Z"));

        Assert.AreEqual(ComplianceStatus.DueSoon, Ek(BuiltInPolicies.S1sr20, device, "2024-01-02T00:00:00Z").Status);
    }

    [TestMethod]
    public void Evaluate_KeyNotSupported_NotListed()
    {
        DeviceHistory device = Esme("2024-01-01T00:00:00Z") with { SupportedKeys = new HashSet<KeyKind> { KeyKind.AK } };

        DeviceEvaluation result = Evaluator.Evaluate(BuiltInPolicies.S1sr20, device, Utc("2024-06-01T00:00:00Z"));

        Assert.HasCount(1, result.Keys);
        Assert.AreEqual(KeyKind.AK, result.Keys[0].Key);
        Assert.AreEqual(ComplianceStatus.Overdue, result.Status);
    }

    [TestMethod]
    public void Evaluate_KeyNoRuleNames_NotApplicable()
    {
        DeviceHistory device = Esme("2024-01-01T00:00:00Z");

        DeviceEvaluation result = Evaluator.Evaluate(BuiltInPolicies.S1sr20, device, Utc("2024-06-01T00:00:00Z"));

        Assert.AreEqual(ComplianceStatus.NotApplicable, result.Keys.Single(k => k.Key == KeyKind.KEK).Status);
        Assert.IsNull(result.Keys.Single(k => k.Key == KeyKind.KEK).Rule);
    }

    [TestMethod]
    public void Evaluate_TypeNoRuleNames_NotApplicable()
    {
        DeviceHistory device = Device("x-1", "GSME", "2024-01-01T00:00:00Z");

        Assert.AreEqual(ComplianceStatus.NotApplicable, Evaluator.Evaluate(BuiltInPolicies.S1sr20, device, Utc("2024-06-01T00:00:00Z")).Status);
    }

    [TestMethod]
    public void Evaluate_NotYetCommissioned_NotApplicable()
    {
        DeviceHistory device = Esme("2024-01-01T00:00:00Z");

        Assert.AreEqual(ComplianceStatus.NotApplicable, Evaluator.Evaluate(BuiltInPolicies.S1sr20, device, Utc("2023-12-31T23:59:59Z")).Status);
    }

    [TestMethod]
    public void Compare_RotatedTwoYearsAgo_OverdueUnderS1srCompliantUnderCkmp()
    {
        DeviceHistory device = Esme("2023-01-01T00:00:00Z", Both("2023-01-05T00:00:00Z"));

        DeviceComparison result = Evaluator.Compare(BuiltInPolicies.S1sr20, BuiltInPolicies.Ckmp, device, Utc("2025-01-05T00:00:00Z"));

        Assert.AreEqual(ComplianceStatus.Overdue, result.Left.Status);
        Assert.AreEqual(ComplianceStatus.Compliant, result.Right.Status);
        Assert.IsTrue(result.Differs);
    }

    private static readonly KeyPolicy WithTriggers = new(
        "t",
        "triggers",
        [
            new PolicyRule(
                "r", "test", "test",
                new HashSet<KeyKind> { KeyKind.EK },
                new HashSet<string>(DeviceTypes.All),
                PolicyPeriod.FromDays(7),
                PolicyPeriod.FromMonths(15),
                [new TriggerRule(TriggerKind.SuspectedCompromise, PolicyPeriod.FromHours(24)), new TriggerRule(TriggerKind.ChangeOfSupplier, PolicyPeriod.FromDays(30))]),
        ]);

    [TestMethod]
    public void EvaluateKey_UnansweredCompromise_DeadlineFromEvent()
    {
        DeviceHistory device = Esme("2024-01-01T00:00:00Z", Both("2024-01-02T00:00:00Z")) with
        {
            Events = [new TriggerEvent(TriggerKind.SuspectedCompromise, Utc("2024-05-01T12:00:00Z"))],
        };

        KeyEvaluation inTime = Ek(WithTriggers, device, "2024-05-02T12:00:00Z");
        KeyEvaluation late = Ek(WithTriggers, device, "2024-05-02T12:00:01Z");

        Assert.AreEqual(DueReason.Trigger, inTime.DueReason);
        Assert.AreEqual(TriggerKind.SuspectedCompromise, inTime.Trigger!.Kind);
        Assert.AreEqual(Utc("2024-05-02T12:00:00Z"), inTime.DueAt);
        Assert.AreEqual(ComplianceStatus.DueSoon, inTime.Status);
        Assert.AreEqual(ComplianceStatus.Overdue, late.Status);
    }

    [TestMethod]
    public void EvaluateKey_CompromiseAnsweredByRotation_BackToPeriodic()
    {
        DeviceHistory device = Esme("2024-01-01T00:00:00Z", [.. Both("2024-01-02T00:00:00Z"), Rotated(KeyKind.EK, "2024-05-01T12:00:00Z")]) with
        {
            Events = [new TriggerEvent(TriggerKind.SuspectedCompromise, Utc("2024-05-01T12:00:00Z"))],
        };

        KeyEvaluation result = Ek(WithTriggers, device, "2024-06-01T00:00:00Z");

        Assert.AreEqual(DueReason.Periodic, result.DueReason);
        Assert.AreEqual(Utc("2025-08-01T12:00:00Z"), result.DueAt);
    }

    [TestMethod]
    public void EvaluateKey_EventThePolicyIgnores_NoEffect()
    {
        DeviceHistory device = Esme("2024-01-01T00:00:00Z", Both("2024-01-02T00:00:00Z")) with
        {
            Events = [new TriggerEvent(TriggerKind.Manual, Utc("2024-05-01T12:00:00Z"))],
        };

        Assert.AreEqual(DueReason.Periodic, Ek(WithTriggers, device, "2024-06-01T00:00:00Z").DueReason);
    }

    [TestMethod]
    public void EvaluateKey_TwoRulesSameKey_WorstWins()
    {
        KeyPolicy policy = BuiltInPolicies.Ckmp with { Rules = [.. BuiltInPolicies.Ckmp.Rules, .. BuiltInPolicies.S1sr20.Rules] };
        DeviceHistory device = Esme("2023-01-01T00:00:00Z", Both("2023-01-05T00:00:00Z"));

        KeyEvaluation result = Ek(policy, device, "2025-01-05T00:00:00Z");

        Assert.AreEqual(ComplianceStatus.Overdue, result.Status);
        Assert.AreEqual("s1sr-20-ek-ak", result.Rule!.Id);
    }
}
