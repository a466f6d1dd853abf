using Smets1Sim.Policy.Model;

namespace Smets1Sim.Policy.Scheduling;

/// <summary>
/// Replaces keys on a device: the head-end implements it with key_transfer over DLMS, tests with a fake.
/// The scheduler never touches sockets or keys itself.
/// </summary>
public interface IRotationExecutor
{
    /// <summary>Replaces <see cref="RotationRequest.Keys"/> on the device and says how it ended.</summary>
    /// <remarks>An exception other than cancellation is recorded as <see cref="RotationOutcome.Failed"/>.</remarks>
    Task<RotationResult> RotateAsync(RotationRequest request, CancellationToken cancellationToken);
}

/// <summary>Receives every outcome as it happens, e.g. to write it to the head-end's store.</summary>
public interface IRotationOutcomeSink
{
    /// <summary>Records one finished rotation. Called from the scheduler's loop, one call at a time.</summary>
    ValueTask RecordAsync(RotationRecord record, CancellationToken cancellationToken);
}

/// <summary>What to rotate.</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="DeviceType">Its type.</param>
/// <param name="Keys">The keys due, in <see cref="KeyKinds.All"/> order.</param>
/// <param name="StartedAt">When the scheduler started it.</param>
public sealed record RotationRequest(string DeviceId, string DeviceType, IReadOnlyList<KeyKind> Keys, DateTimeOffset StartedAt);

/// <summary>How a rotation ended, for all the keys of its request.</summary>
/// <param name="Outcome">Rotated, recovered or failed.</param>
/// <param name="Reason">Why it failed or needed recovery.</param>
public sealed record RotationResult(RotationOutcome Outcome, string? Reason = null);

/// <summary>A finished rotation, as the sink and the run's result see it.</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="DeviceType">Its type.</param>
/// <param name="Keys">The keys it was about.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="EndedAt">When it ended (the time its attempts are recorded at).</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Reason">Why it failed or needed recovery.</param>
public sealed record RotationRecord(
    string DeviceId,
    string DeviceType,
    IReadOnlyList<KeyKind> Keys,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    RotationOutcome Outcome,
    string? Reason)
{
    /// <summary>One attempt per key, for a device history.</summary>
    public IEnumerable<RotationAttempt> ToAttempts() => Keys.Select(k => new RotationAttempt(k, EndedAt, Outcome, Reason));
}

/// <summary>What a run did: every record in the order they ended, and the fleet with them appended.</summary>
/// <param name="Records">Every finished rotation.</param>
/// <param name="Fleet">The device histories at the end of the run.</param>
public sealed record RotationRun(IReadOnlyList<RotationRecord> Records, IReadOnlyList<DeviceHistory> Fleet);
