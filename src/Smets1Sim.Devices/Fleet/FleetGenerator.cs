using System.Globalization;
using System.Security.Cryptography;
using Smets1Sim.Devices.Profiles;

namespace Smets1Sim.Devices.Fleet;

/// <summary>How to generate a fleet.</summary>
public sealed record FleetOptions
{
    /// <summary>Number of premises.</summary>
    public int Premises { get; init; } = 1;

    /// <summary>Device types at each premises (profile types), CHF first.</summary>
    public IReadOnlyList<string> DeviceTypes { get; init; } = ProfileLoader.ShippedTypes;

    /// <summary>Host the endpoints bind to.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>First port; endpoints take consecutive ports. 0 = every endpoint lets the server choose.</summary>
    public int BasePort { get; init; } = 4059;

    /// <summary>"hub" (one endpoint per premises) or "per-device".</summary>
    public string Mode { get; init; } = "hub";

    /// <summary>Three-letter manufacturer code of the system titles (fictitious by default).</summary>
    public string ManufacturerCode { get; init; } = "SMS";

    /// <summary>Commissioning times spread over the last this many days (0 = all now).</summary>
    public int CommissionedWithinDays { get; init; }

    /// <summary>
    /// Serial of the first device (system title and logical device name); the others follow it. Null = a random
    /// base, so two generated fleets do not collide when a head-end imports both. Give one for a reproducible fleet.
    /// </summary>
    public long? SerialBase { get; init; }
}

/// <summary>Generates fleets with fresh, unique keys from a CSPRNG.</summary>
public static class FleetGenerator
{
    /// <summary>
    /// Serials stay below 10^8 so the shipped logical device names ({serial:D8}) keep their 8 digits; the system
    /// title has room for 5 bytes.
    /// </summary>
    public const long SerialLimit = 100_000_000;

    /// <summary>Generates a fleet; the caller writes it with <see cref="FleetFileStore.Write"/>.</summary>
    public static FleetFile Generate(FleetOptions options, IReadOnlyDictionary<string, DeviceProfile> profiles, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(time);
        if (options.Premises is < 1 or > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "premises must be 1..100000");
        }

        if (options.ManufacturerCode.Length != 3 || !options.ManufacturerCode.All(char.IsAsciiLetterUpper))
        {
            throw new ArgumentException("the manufacturer code is three upper-case letters", nameof(options));
        }

        if (options.Mode is not ("hub" or "per-device"))
        {
            throw new ArgumentException("mode is \"hub\" or \"per-device\"", nameof(options));
        }

        foreach (string type in options.DeviceTypes)
        {
            if (!profiles.ContainsKey(type))
            {
                throw new ArgumentException($"no profile for device type \"{type}\"", nameof(options));
            }
        }

        long count = (long)options.Premises * options.DeviceTypes.Count;
        if (options.SerialBase is long chosen && (chosen < 1 || chosen + count > SerialLimit))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"the serial base must be 1..{SerialLimit - count} for {count} devices");
        }

        DateTimeOffset now = time.GetUtcNow();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var devices = new List<FleetDevice>();
        int endpoint = 0;
        // A random base spreads fleets over 10^8 serials: two fleets of a thousand devices overlap with a chance of
        // about 2 in 100,000, where fixed bases starting at 1 always collided.
        long serial = options.SerialBase ?? RandomNumberGenerator.GetInt32(1, (int)(SerialLimit - count) + 1);
        for (int p = 1; p <= options.Premises; p++)
        {
            string premises = string.Create(CultureInfo.InvariantCulture, $"P{p:D4}");
            DateTimeOffset commissioned = options.CommissionedWithinDays > 0
                ? now - TimeSpan.FromSeconds(RandomNumberGenerator.GetInt32(options.CommissionedWithinDays * 86_400))
                : now;
            foreach (string type in options.DeviceTypes)
            {
                DeviceProfile profile = profiles[type];
                int port = options.BasePort == 0 ? 0 : options.BasePort + endpoint;
                if (options.Mode == "per-device")
                {
                    endpoint++;
                }

                string ldn = profile.LogicalDeviceNamePattern
                    .Replace("{manufacturer}", options.ManufacturerCode, StringComparison.Ordinal)
                    .Replace("{type}", type.ToUpperInvariant(), StringComparison.Ordinal);
                ldn = System.Text.RegularExpressions.Regex.Replace(ldn, @"\{serial(:D(\d{1,2}))?\}", m =>
                    serial.ToString(m.Groups[2].Success ? "D" + m.Groups[2].Value : "D", CultureInfo.InvariantCulture));
                devices.Add(new FleetDevice
                {
                    Id = $"{premises}-{type.ToUpperInvariant()}",
                    PremisesId = premises,
                    Type = type,
                    Host = options.Host,
                    Port = port,
                    WPort = profile.WPort,
                    LogicalDeviceName = ldn,
                    ServerSystemTitle = Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(options.ManufacturerCode)) + serial.ToString("X10", CultureInfo.InvariantCulture),
                    Ek = UniqueKey(keys),
                    Ak = UniqueKey(keys),
                    Kek = UniqueKey(keys),
                    CommissionedAt = commissioned,
                    SecuritySetup = profile.Associations.FirstOrDefault(a => a.SecuritySetup is not null)?.SecuritySetup?.ToString() ?? "0-0:43.0.0.255",
                    InvocationCounter = profile.Associations.FirstOrDefault(a => a.InvocationCounter is not null)?.InvocationCounter?.ToString() ?? "0-0:43.1.0.255",
                    ManagementClientSap = profile.Associations.FirstOrDefault(a => a.Ciphered)?.ClientSap ?? 1,
                    PublicClientSap = profile.Associations.FirstOrDefault(a => !a.Ciphered)?.ClientSap ?? 16,
                });
                serial++;
            }

            if (options.Mode == "hub")
            {
                endpoint++;
            }
        }

        return new FleetFile { CreatedAt = now, Mode = options.Mode, Devices = devices };
    }

    private static string UniqueKey(HashSet<string> used)
    {
        while (true)
        {
            string key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            if (used.Add(key))
            {
                return key;
            }
        }
    }
}
