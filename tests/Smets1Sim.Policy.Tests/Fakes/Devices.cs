using System.Globalization;
using Smets1Sim.Policy.Model;

namespace Smets1Sim.Policy.Tests.Fakes;

/// <summary>Builds device histories for tests.</summary>
internal static class Devices
{
    public static DateTimeOffset Utc(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DeviceHistory Esme(string commissioned, params RotationAttempt[] attempts) =>
        Device("esme-1", DeviceTypes.Esme, commissioned, attempts);

    public static DeviceHistory Device(string id, string type, string commissioned, params RotationAttempt[] attempts) =>
        new(id, "premises-1", type, Utc(commissioned), new HashSet<KeyKind> { KeyKind.EK, KeyKind.AK, KeyKind.KEK }, attempts, []);

    public static RotationAttempt Rotated(KeyKind key, string at) => new(key, Utc(at), RotationOutcome.Rotated);

    public static RotationAttempt Failed(KeyKind key, string at, string reason = "no answer") => new(key, Utc(at), RotationOutcome.Failed, reason);

    public static RotationAttempt[] Both(string at) => [Rotated(KeyKind.EK, at), Rotated(KeyKind.AK, at)];
}
