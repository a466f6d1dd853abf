using Smets1Sim.HeadEnd.Rotation;
using Spectre.Console;

namespace Smets1Sim.Cli.Commands;

/// <summary>
/// Runs a rotation campaign with a live progress display (Spectre.Console) when stdout is a terminal, plain lines
/// otherwise, and nothing but the final JSON with <c>--json</c>.
/// </summary>
internal static class HeadEndProgress
{
    public static async Task<CampaignSummary> RunAsync(RotationCampaign campaign, IReadOnlyList<string> devices, int concurrency, bool json, CancellationToken ct)
    {
        if (json)
        {
            return await campaign.RunAsync(devices, concurrency, null, ct).ConfigureAwait(false);
        }

        if (Console.IsOutputRedirected)
        {
            var lines = new SynchronousProgress(p =>
            {
                if (p.Result is { } r)
                {
                    Console.WriteLine(r.Succeeded ? $"{r.DeviceId} {r.Outcome.ToString().ToLowerInvariant()} generation {r.KeyGeneration}"
                        : p.RetryIn is { } wait ? $"{r.DeviceId} attempt {p.Attempt} failed at {r.Step}: {r.Reason}; retrying in {wait.TotalMilliseconds:F0} ms"
                        : $"{r.DeviceId} failed at {r.Step}: {r.Reason}");
                }
            });
            return await campaign.RunAsync(devices, concurrency, lines, ct).ConfigureAwait(false);
        }

        CampaignSummary? summary = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                ProgressTask done = context.AddTask($"rotating {devices.Count} devices", maxValue: devices.Count);
                int failed = 0;
                int retries = 0;
                var progress = new SynchronousProgress(p =>
                {
                    if (p.Result is null)
                    {
                        return;
                    }

                    if (p.RetryIn is not null)
                    {
                        Interlocked.Increment(ref retries);
                    }
                    else
                    {
                        if (!p.Result.Succeeded)
                        {
                            Interlocked.Increment(ref failed);
                        }

                        done.Increment(1);
                    }

                    done.Description = $"rotating {devices.Count} devices ({Volatile.Read(ref failed)} failed, {Volatile.Read(ref retries)} retries)";
                });
                summary = await campaign.RunAsync(devices, concurrency, progress, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return summary!;
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to a thread pool and race the summary).</summary>
    private sealed class SynchronousProgress(Action<RotationProgress> report) : IProgress<RotationProgress>
    {
        private readonly Lock _gate = new();

        public void Report(RotationProgress value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
