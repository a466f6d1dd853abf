using Smets1Sim.HeadEnd.Store;
using Smets1Sim.Policy.Model;
using PolicyKey = Smets1Sim.Policy.Model.KeyKind;
using StoreKey = Smets1Sim.HeadEnd.Store.KeyKind;

namespace Smets1Sim.HeadEnd.Policy;

/// <summary>
/// Maps the head-end key store to the policy engine's <see cref="DeviceHistory"/>: one history per stored device.
/// </summary>
/// <remarks>
/// Only what the store holds is mapped, and the store keeps the current state rather than a full history:
/// <list type="bullet">
/// <item>Supported keys: the kinds the store holds an active or pending key for (EK, AK, KEK always; the
/// broadcast key once one was ever set). The device profile is not in the store, so this is an approximation.</item>
/// <item>Rotated/recovered: each active key of generation above 0 (generation 0 is the commissioning key) counts
/// as one replacement at the time its state last changed. Earlier replacements of the same key were retired and
/// are not listed by the store, so only the latest one appears; the policy rules only need the latest.
/// The outcome is <see cref="RotationOutcome.Recovered"/> when the device's last rotation was recorded as
/// "recovered" and this key belongs to that generation, else <see cref="RotationOutcome.Rotated"/>.</item>
/// <item>Failed: when the device's last recorded outcome is a failure ("failed at ...") and it is later than the
/// last replacement of a key, a failed attempt is recorded for every supported key at that time, with the
/// store's outcome text as the reason. The store does not say which keys the failed attempt was replacing, so
/// this is an approximation; pending rotations abandoned without a device outcome are not mapped.</item>
/// <item>No trigger events: the store records none.</item>
/// </list>
/// </remarks>
public static class StoreHistoryAdapter
{
    /// <summary>The histories of every device in <paramref name="store"/>, ordered by device id.</summary>
    public static IReadOnlyList<DeviceHistory> Load(HeadEndStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return [.. store.Status().Select(Map)];
    }

    /// <summary>Maps one device's status line.</summary>
    public static DeviceHistory Map(DeviceStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        DeviceRecord device = status.Device;
        var supported = new HashSet<PolicyKey>();
        var attempts = new List<RotationAttempt>();
        var lastReplaced = new Dictionary<PolicyKey, DateTimeOffset>();
        foreach (StoredKeyInfo key in status.Keys)
        {
            PolicyKey kind = ToPolicyKey(key.Kind);
            supported.Add(kind);
            if (key.State == KeyState.Active && key.Generation > 0)
            {
                bool recovered = key.Generation == device.KeyGeneration
                    && string.Equals(device.LastRotationOutcome, "recovered", StringComparison.Ordinal);
                attempts.Add(new RotationAttempt(kind, key.ChangedAt, recovered ? RotationOutcome.Recovered : RotationOutcome.Rotated));
                lastReplaced[kind] = key.ChangedAt;
            }
        }

        if (device.LastRotationAt is DateTimeOffset at
            && device.LastRotationOutcome is string outcome
            && outcome.StartsWith("failed", StringComparison.Ordinal))
        {
            foreach (PolicyKey kind in supported.Order())
            {
                if (!lastReplaced.TryGetValue(kind, out DateTimeOffset replaced) || replaced < at)
                {
                    attempts.Add(new RotationAttempt(kind, at, RotationOutcome.Failed, outcome));
                }
            }
        }

        string type = DeviceTypes.Normalize(device.Type) ?? device.Type;
        return new DeviceHistory(device.Id, device.PremisesId, type, device.CommissionedAt, supported, attempts, []);
    }

    /// <summary>The policy's name for a store key kind.</summary>
    public static PolicyKey ToPolicyKey(StoreKey kind) => kind switch
    {
        StoreKey.Encryption => PolicyKey.EK,
        StoreKey.Authentication => PolicyKey.AK,
        StoreKey.Broadcast => PolicyKey.BroadcastKey,
        StoreKey.Master => PolicyKey.KEK,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown key kind"),
    };
}
