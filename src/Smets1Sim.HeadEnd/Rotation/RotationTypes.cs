using Microsoft.Extensions.Logging;
using Smets1Sim.HeadEnd.Store;

namespace Smets1Sim.HeadEnd.Rotation;

/// <summary>Named points of a rotation where a test (or an operator's debugger) may stop the head-end.</summary>
public enum RotationCheckpoint
{
    /// <summary>The new keys are stored as pending; nothing has been sent.</summary>
    PendingRecorded,

    /// <summary>Associated under the active keys; the key_transfer is about to go out.</summary>
    TransferSending,

    /// <summary>The device answered the key_transfer with success; not yet confirmed under the new keys.</summary>
    TransferAnswered,

    /// <summary>Confirmed under the new keys; not yet marked active in the store.</summary>
    Confirmed,
}

/// <summary>The step names that results and the audit log use.</summary>
public static class RotationSteps
{
    /// <summary>Taking the device's lease.</summary>
    public const string Lease = "lease";

    /// <summary>Settling a rotation left pending by an earlier run.</summary>
    public const string Recover = "recover";

    /// <summary>Associating under the active keys.</summary>
    public const string Associate = "associate";

    /// <summary>The key_transfer.</summary>
    public const string Transfer = "transfer";

    /// <summary>Associating under the new keys (and, for a KEK, the check transfer).</summary>
    public const string Confirm = "confirm";

    /// <summary>The key store.</summary>
    public const string Store = "store";

    /// <summary>The text a checkpoint prints (kebab-case), e.g. "transfer-sending".</summary>
    public static string Name(this RotationCheckpoint checkpoint) => checkpoint switch
    {
        RotationCheckpoint.PendingRecorded => "pending-recorded",
        RotationCheckpoint.TransferSending => "transfer-sending",
        RotationCheckpoint.TransferAnswered => "transfer-answered",
        RotationCheckpoint.Confirmed => "confirmed",
        _ => throw new ArgumentOutOfRangeException(nameof(checkpoint)),
    };
}

/// <summary>How one device's rotation ended.</summary>
public enum RotationOutcome
{
    /// <summary>New keys confirmed and active.</summary>
    Rotated,

    /// <summary>A rotation left pending by an earlier run was settled, and the device ended with new keys active.</summary>
    Recovered,

    /// <summary>The device keeps the keys the store calls active (or, if a rotation stays pending, the next run settles it).</summary>
    Failed,
}

/// <summary>One device's result. <see cref="Step"/> and <see cref="Reason"/> say where and why a rotation failed.</summary>
public sealed record DeviceRotationResult(
    string DeviceId,
    RotationOutcome Outcome,
    long KeyGeneration,
    string? Step = null,
    string? Reason = null,
    bool Transient = false,
    int Attempts = 1)
{
    /// <summary>True when the device ended with new keys active.</summary>
    public bool Succeeded => Outcome != RotationOutcome.Failed;
}

/// <summary>Settings of a rotation.</summary>
public sealed record RotationOptions
{
    /// <summary>Which keys to replace (EK and AK by default).</summary>
    public IReadOnlyList<KeyKind> Keys { get; init; } = [KeyKind.Encryption, KeyKind.Authentication];

    /// <summary>How long the head-end waits for each reply.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a lease lasts if its owner dies on another host (a dead process of this host frees it at once).</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Client invocation counters reserved in the store at a time.</summary>
    public uint CounterBlock { get; init; } = 64;

    /// <summary>Attempts per device for transient failures.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>First retry delay; doubled each time, with jitter, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest retry delay.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Called at each <see cref="RotationCheckpoint"/> (tests stop the process there).</summary>
    public Func<string, RotationCheckpoint, CancellationToken, Task>? Checkpoint { get; init; }

    /// <summary>Where to log; nothing when null. Never a key.</summary>
    public ILogger? Logger { get; init; }
}
