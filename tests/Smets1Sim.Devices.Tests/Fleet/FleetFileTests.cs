using Microsoft.Extensions.Time.Testing;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Json;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Devices.Runtime;

namespace Smets1Sim.Devices.Tests.Fleet;

[TestClass]
public sealed class FleetFileTests
{
    private static readonly IReadOnlyDictionary<string, DeviceProfile> Profiles = ProfileLoader.LoadAllEmbedded();

    private static FleetFile Generate(int premises = 3, string mode = "hub", int basePort = 4059)
        => FleetGenerator.Generate(new FleetOptions { Premises = premises, Mode = mode, BasePort = basePort, SerialBase = 1 }, Profiles, new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero)));

    [TestMethod]
    public void Generate_HubMode_OnePortPerPremises_UniqueKeysAndTitles()
    {
        FleetFile fleet = Generate();
        Assert.HasCount(12, fleet.Devices);
        CollectionAssert.AreEqual(new[] { 4059, 4060, 4061 }, fleet.Devices.Select(d => d.Port).Distinct().ToArray());
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4 }, fleet.Devices.Where(d => d.PremisesId == "P0001").Select(d => d.WPort).ToArray());
        string[] keys = [.. fleet.Devices.SelectMany(d => new[] { d.Ek, d.Ak, d.Kek })];
        Assert.HasCount(keys.Length, keys.Distinct());
        Assert.HasCount(12, fleet.Devices.Select(d => d.ServerSystemTitle).Distinct());
        Assert.IsTrue(fleet.Devices.All(d => d.ServerSystemTitle.StartsWith("534D53", StringComparison.Ordinal)), "SMS manufacturer code");
        Assert.AreEqual("SMSESME00000002", fleet.Devices[1].LogicalDeviceName);
    }

    [TestMethod]
    public void Generate_PerDeviceMode_OnePortPerDevice()
    {
        FleetFile fleet = Generate(premises: 2, mode: "per-device");
        Assert.HasCount(8, fleet.Devices.Select(d => d.Port).Distinct());
    }

    [TestMethod]
    public void WriteThenRead_RoundTrips_WithOwnerOnlyPermissions()
    {
        string dir = Directory.CreateTempSubdirectory("fleet-test").FullName;
        try
        {
            string path = Path.Combine(dir, "fleet.json");
            FleetFile fleet = Generate() with
            {
                Devices = [.. Generate().Devices.Select((d, i) => i == 1 ? d with { Faults = new FaultOptions { DropConnectionAt = FaultPoint.AfterKeyTransferPersisted, DelayResponsesMs = 5 } } : d)],
            };
            FleetFileStore.Write(path, fleet);
            FleetFile read = FleetFileStore.Read(path);
            Assert.HasCount(fleet.Devices.Count, read.Devices);
            Assert.AreEqual(fleet.Devices[5], read.Devices[5]);
            Assert.AreEqual(FaultPoint.AfterKeyTransferPersisted, read.Devices[1].Faults!.DropConnectionAt);
            if (!OperatingSystem.IsWindows())
            {
                Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    [DataRow("BadKey", "\"ek\": \"|\"ek\": \"ZZ", "$.devices[0].ek: expected a 128-bit key as 32 hex digits")]
    [DataRow("ShortTitle", "\"serverSystemTitle\": \"534D53|\"serverSystemTitle\": \"", "$.devices[0].serverSystemTitle: expected 16 hex digits")]
    [DataRow("PortOutOfRange", "\"port\": 4059|\"port\": 70000", "$.devices[0].port: 70000 is out of range 0..65535")]
    [DataRow("BadObis", "\"securitySetup\": \"0-0:43.0.0.255\"|\"securitySetup\": \"43\"", "$.devices[0].securitySetup: \"43\" is not an OBIS code")]
    [DataRow("BadTime", "\"commissionedAt\": \"2026|\"commissionedAt\": \"x2026", "$.devices[0].commissionedAt: expected an ISO 8601 time")]
    [DataRow("UnknownKey", "\"wPort\": 1,|\"wPort\": 1, \"wport\": 1,", "$.devices[0].wport: unknown key")]
    [DataRow("BadMode", "\"mode\": \"hub\"|\"mode\": \"star\"", "$.mode: expected \"hub\" or \"per-device\"")]
    [DataRow("BadVersion", "\"formatVersion\": 1|\"formatVersion\": 2", "$.formatVersion: only format version 1 is known")]
    public void Parse_BrokenFleet_OneLineWithPath(string name, string edit, string expected)
    {
        string text = System.Text.Encoding.UTF8.GetString(FleetFileStore.Serialize(Generate(premises: 1)));
        string[] parts = edit.Split('|');
        int at = text.IndexOf(parts[0], StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, at, $"{name}: edit does not apply");
        text = string.Concat(text.AsSpan(0, at), parts[1], text.AsSpan(at + parts[0].Length));
        ConfigurationException ex = Assert.ThrowsExactly<ConfigurationException>(() => FleetFileStore.Parse(text, "fleet.json"), name);
        Assert.StartsWith($"fleet.json: {expected}", ex.Message, name);
    }

    [TestMethod]
    public void Parse_DuplicateIdsAndAddresses_Refused()
    {
        FleetFile fleet = Generate(premises: 1);
        FleetFile dupId = fleet with { Devices = [fleet.Devices[0], fleet.Devices[1] with { Id = fleet.Devices[0].Id }] };
        StringAssert.Contains(Assert.ThrowsExactly<ConfigurationException>(() => FleetFileStore.Parse(System.Text.Encoding.UTF8.GetString(FleetFileStore.Serialize(dupId)), "f")).Message, "$.devices[1].id: device id \"P0001-CHF\" is used twice");
        FleetFile dupAddress = fleet with { Devices = [fleet.Devices[0], fleet.Devices[1] with { WPort = 1 }] };
        StringAssert.Contains(Assert.ThrowsExactly<ConfigurationException>(() => FleetFileStore.Parse(System.Text.Encoding.UTF8.GetString(FleetFileStore.Serialize(dupAddress)), "f")).Message, "$.devices[1].wPort: 127.0.0.1:4059 wPort 1 is also used by P0001-CHF");
    }
}
