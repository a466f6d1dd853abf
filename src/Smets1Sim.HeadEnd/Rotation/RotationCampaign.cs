using System.Security.Cryptography;
using Smets1Sim.HeadEnd.Store;

namespace Smets1Sim.HeadEnd.Rotation;

/// <summary>What a campaign reports as it goes.</summary>
public sealed record RotationProgress(string DeviceId, int Attempt, DeviceRotationResult? Result, TimeSpan? RetryIn);

/// <summary>The end of a campaign.</summary>
public sealed record CampaignSummary(IReadOnlyList<DeviceRotationResult> Results, TimeSpan Elapsed)
{
    /// <summary>Devices rotated on the first settle-free path.</summary>
    public int Rotated => Results.Count(r => r.Outcome == RotationOutcome.Rotated);

    /// <summary>Devices whose pending rotation was settled and that ended with new keys active.</summary>
    public int Recovered => Results.Count(r => r.Outcome == RotationOutcome.Recovered);

    /// <summary>Devices that did not end with new keys active.</summary>
    public int Failed => Results.Count(r => r.Outcome == RotationOutcome.Failed);

    /// <summary>True when every device ended with its new keys active.</summary>
    public bool AllSucceeded => Results.All(r => r.Succeeded);
}

/// <summary>
/// Rotates many devices with bounded concurrency. A device whose attempt failed transiently (a dropped connection,
/// a timeout, a temporary refusal, a lease held by a process that may finish) is tried again after an exponential
/// backoff with jitter; a permanent failure is reported at once.
/// </summary>
public sealed class RotationCampaign
{
    private readonly KeyRotator _rotator;
    private readonly RotationOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the campaign; <paramref name="owner"/> names it in leases (this process by default).</summary>
    public RotationCampaign(HeadEndStore store, RotationOptions options, TimeProvider? time = null, LeaseOwner? owner = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? TimeProvider.System;
        _rotator = new KeyRotator(store, options, owner ?? LeaseOwner.ForThisProcess(), _time);
    }

    /// <summary>Rotates <paramref name="deviceIds"/>, at most <paramref name="concurrency"/> at once.</summary>
    public async Task<CampaignSummary> RunAsync(IReadOnlyList<string> deviceIds, int concurrency, IProgress<RotationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceIds);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        long started = _time.GetTimestamp();
        var results = new DeviceRotationResult[deviceIds.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, deviceIds.Count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await RotateWithRetriesAsync(deviceIds[i], progress, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return new CampaignSummary(results, _time.GetElapsedTime(started));
    }

    /// <summary>One device, with retries for transient failures.</summary>
    public async Task<DeviceRotationResult> RotateWithRetriesAsync(string deviceId, IProgress<RotationProgress>? progress, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            progress?.Report(new RotationProgress(deviceId, attempt, null, null));
            DeviceRotationResult result = await _rotator.RotateAsync(deviceId, cancellationToken).ConfigureAwait(false) with { Attempts = attempt };
            if (result.Succeeded || !result.Transient || attempt >= _options.MaxAttempts)
            {
                progress?.Report(new RotationProgress(deviceId, attempt, result, null));
                return result;
            }

            TimeSpan delay = Backoff(attempt);
            progress?.Report(new RotationProgress(deviceId, attempt, result, delay));
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        double exponential = _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1);
        double capped = Math.Min(exponential, _options.MaxBackoff.TotalMilliseconds);
        // Full jitter in [capped/2, capped): devices that failed together do not retry together.
        return TimeSpan.FromMilliseconds(capped / 2 + RandomNumberGenerator.GetInt32(1000) / 1000.0 * capped / 2);
    }
}
