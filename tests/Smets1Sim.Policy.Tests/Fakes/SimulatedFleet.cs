using Microsoft.Extensions.Time.Testing;
using Smets1Sim.Policy.Model;
using Smets1Sim.Policy.Policies;
using Smets1Sim.Policy.Scheduling;

namespace Smets1Sim.Policy.Tests.Fakes;

/// <summary>
/// A seeded fleet of premises (CHF, ESME, GPF, PPMID each) commissioned over the first eighteen months, run through the
/// scheduler on a fake clock with an executor that mostly works, sometimes needs recovery, sometimes fails, and
/// never reaches a few dead devices.
/// </summary>
internal static class SimulatedFleet
{
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static List<DeviceHistory> Generate(int premises, int seed)
    {
        var random = new Random(seed);
        var fleet = new List<DeviceHistory>(premises * 4);
        for (int p = 0; p < premises; p++)
        {
            DateTimeOffset commissioned = Start.AddMinutes(random.Next(0, 540 * 24 * 60));
            TriggerEvent[] events = random.Next(10) == 0
                ? [new TriggerEvent(TriggerKind.ChangeOfSupplier, commissioned.AddDays(random.Next(60, 600)))]
                : [];
            foreach (string type in DeviceTypes.All)
            {
                var keys = new HashSet<KeyKind> { KeyKind.EK, KeyKind.AK, KeyKind.KEK };
                if (type == DeviceTypes.Esme)
                {
                    keys.Add(KeyKind.BroadcastKey);
                }

                fleet.Add(new DeviceHistory($"{type.ToLowerInvariant()}-{p:D4}", $"premises-{p:D4}", type, commissioned.AddMinutes(random.Next(0, 120)), keys, [], events));
            }
        }

        return fleet;
    }

    public static async Task<RotationRun> RunAsync(KeyPolicy policy, List<DeviceHistory> fleet, TimeSpan length, int seed, CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider(Start);
        var random = new Random(seed);
        var dead = new HashSet<string>(fleet.Where((_, i) => i % 97 == 13).Select(d => d.DeviceId), StringComparer.Ordinal);
        var executor = new FakeExecutor(time)
        {
            Duration = TimeSpan.FromSeconds(20),
            Outcome = (request, _) =>
            {
                if (dead.Contains(request.DeviceId))
                {
                    return new RotationResult(RotationOutcome.Failed, "no answer: device offline");
                }

                int roll = random.Next(100);
                return roll < 4 ? new RotationResult(RotationOutcome.Failed, "association refused")
                    : roll < 9 ? new RotationResult(RotationOutcome.Recovered, "reply lost; device answered with the new key")
                    : new RotationResult(RotationOutcome.Rotated);
            },
        };
        var options = new SchedulerOptions
        {
            MaxConcurrency = 4,
            StartInterval = TimeSpan.FromMinutes(1),
            Window = new MaintenanceWindow(new TimeOnly(0, 0), new TimeOnly(4, 0)),
        };
        var scheduler = new RotationScheduler(policy, executor, null, options, time);
        return await time.DriveAsync(scheduler.RunUntilAsync(fleet, Start + length, cancellationToken), TimeSpan.FromMinutes(1));
    }
}
