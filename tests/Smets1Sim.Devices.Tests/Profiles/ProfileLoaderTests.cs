using System.Text.Json;
using Smets1Sim.Cosem;
using Smets1Sim.Devices.Json;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Tests.Profiles;

[TestClass]
public sealed class ProfileLoaderTests
{
    private static string RepoFile(params string[] parts)
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Smets1Sim.sln")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repository root not found");
        }

        return Path.Combine([dir, .. parts]);
    }

    [TestMethod]
    public void LoadDirectory_ShippedProfiles_AllValid_AndMatchEmbedded()
    {
        IReadOnlyDictionary<string, DeviceProfile> fromDisk = ProfileLoader.LoadDirectory(RepoFile("device-profiles"));
        CollectionAssert.AreEquivalent(ProfileLoader.ShippedTypes.ToArray(), fromDisk.Keys.ToArray());
        foreach (string type in ProfileLoader.ShippedTypes)
        {
            DeviceProfile embedded = ProfileLoader.LoadEmbedded(type);
            Assert.HasCount(fromDisk[type].Objects.Count, embedded.Objects, type);
            Assert.AreEqual(fromDisk[type].WPort, embedded.WPort, type);
        }
    }

    [TestMethod]
    public void ShippedProfiles_HaveTheSmets1Objects_AndRightsPerAssociation()
    {
        DeviceProfile esme = ProfileLoader.LoadEmbedded("esme");
        string[] required = ["0-0:1.0.0.255", "0-0:40.0.0.255", "0-0:42.0.0.255", "0-0:43.0.0.255", "0-0:43.1.0.255", "0-0:99.98.0.255",
            "0-0:96.3.10.255", "1-0:1.8.0.255", "1-0:2.8.0.255", "0-0:19.0.0.255", "0-0:19.10.0.255", "0-0:19.20.0.255", "0-0:19.40.0.255"];
        foreach (string obis in required)
        {
            Assert.IsTrue(esme.Objects.Any(o => o.LogicalName == ObisCode.Parse(obis)), obis);
        }

        AssociationProfile pub = esme.Associations.Single(a => a.ClientSap == 16);
        var rights = esme.RightsFor(pub);
        Assert.IsTrue(rights[ObisCode.Parse("0-0:43.1.0.255")].CanRead(2));
        Assert.IsFalse(rights.ContainsKey(ObisCode.Parse("0-0:43.0.0.255")), "the public client must not see the security setup");
        Assert.IsFalse(rights.ContainsKey(ObisCode.Parse("1-0:1.8.0.255")));
        var management = esme.RightsFor(esme.Associations.Single(a => a.ClientSap == 1));
        Assert.IsTrue(management[ObisCode.Parse("0-0:43.0.0.255")].CanInvoke(2));
        Assert.IsFalse(management[ObisCode.Parse("0-0:43.1.0.255")].CanWrite(2));
        Assert.IsTrue(ProfileLoader.LoadEmbedded("chf").Objects.Any(o => o.ClassId == 17));
    }

    [TestMethod]
    public void Schema_CoversEveryKeyTheLoaderAccepts()
    {
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(RepoFile("device-profiles", "device-profile.schema.json")));
        JsonElement root = schema.RootElement;
        string[] top = [.. root.GetProperty("properties").EnumerateObject().Select(p => p.Name)];
        CollectionAssert.IsSubsetOf(new[] { "type", "wPort", "logicalDeviceName", "keyActivation", "associations", "objects", "faults" }, top);
        int[] classes = [.. root.GetProperty("$defs").GetProperty("object").GetProperty("properties").GetProperty("class").GetProperty("enum").EnumerateArray().Select(e => e.GetInt32())];
        CollectionAssert.AreEquivalent(CosemClassCatalog.All.Select(c => (int)c.ClassId).ToArray(), classes);
    }

    private const string Valid = """
        {
          "type": "esme", "wPort": 2, "logicalDeviceName": "{manufacturer}{type}{serial:D8}",
          "associations": [
            { "name": "public", "clientSap": 16 },
            { "name": "management", "clientSap": 1, "mechanism": "hls-gmac", "applicationContext": "ln-ciphered",
              "securitySetup": "0-0:43.0.0.255", "defaultAccess": "read-write" }
          ],
          "objects": [
            { "obis": "0-0:43.0.0.255", "class": 64 },
            { "obis": "1-0:1.8.0.255", "class": 3, "attributes": { "2": { "double-long-unsigned": 0 } } }
          ]
        }
        """;

    [TestMethod]
    [DataRow("", false)]
    [DataRow("\"faults\": { \"acceptWeakKeys\": true },", true)]
    public void Parse_AcceptWeakKeys_ReachesTheFaultPlan(string faults, bool expected)
    {
        DeviceProfile profile = ProfileLoader.Parse(Valid.Replace("\"wPort\": 2,", "\"wPort\": 2, " + faults, StringComparison.Ordinal), "p.json");
        Assert.AreEqual(expected, (profile.Faults?.ToPlan() ?? FaultPlan.None).AcceptWeakKeys);
    }

    [TestMethod]
    public void Parse_ValidMinimalProfile_Loads() => Assert.HasCount(2, ProfileLoader.Parse(Valid, "p.json").Objects);

    [TestMethod]
    [DataRow("NotJson", "{", "p.json: line 1: not valid JSON")]
    [DataRow("UnknownTopKey", "\"wPort\": 2,|\"wPort\": 2, \"wport\": 3,", "p.json: $.wport: unknown key")]
    [DataRow("MissingWPort", "\"wPort\": 2,|", "p.json: $.wPort: is required")]
    [DataRow("BadObis", "1-0:1.8.0.255|1-0:1.8.0", "p.json: $.objects[1].obis: \"1-0:1.8.0\" is not an OBIS code")]
    [DataRow("UnknownClass", "\"class\": 3|\"class\": 99", "p.json: $.objects[1].class: class 99 is not supported")]
    [DataRow("AttributeOutOfRange", "{ \"2\": { \"double|{ \"9\": { \"double", "p.json: $.objects[1].attributes.9: Register (class 3) has attributes 2..3")]
    [DataRow("UnknownValueType", "double-long-unsigned\": 0|dubble\": 0", "p.json: $.objects[1].attributes.2: unknown type key \"dubble\"")]
    [DataRow("ValueOutOfRange", "double-long-unsigned\": 0|unsigned\": 300", "p.json: $.objects[1].attributes.2.unsigned: 300 is out of range 0..255")]
    [DataRow("NonNumericRegister", "double-long-unsigned\": 0|visible-string\": \"x\"", "p.json: $.objects[1].attributes: attribute 2: a register value must be numeric")]
    [DataRow("DuplicateObis", "\"obis\": \"1-0:1.8.0.255\"|\"obis\": \"0-0:43.0.0.255\"", "p.json: $.objects[1].obis: 0-0:43.0.0.255 is defined twice")]
    [DataRow("CipheredWithoutSecuritySetup", "\"securitySetup\": \"0-0:43.0.0.255\",|", "p.json: $.associations[1].securitySetup: a ciphered association needs its security setup object")]
    [DataRow("SecuritySetupNotInProfile", "\"securitySetup\": \"0-0:43.0.0.255\"|\"securitySetup\": \"0-0:43.0.9.255\"", "p.json: $.associations[1].securitySetup: 0-0:43.0.9.255 is not an object of class 64")]
    [DataRow("DuplicateSap", "\"clientSap\": 16|\"clientSap\": 1", "p.json: $.associations[1].clientSap: client SAP 1 is used twice")]
    [DataRow("BadMechanism", "hls-gmac|hls-md5", "p.json: $.associations[1].mechanism: \"hls-md5\" is not one of none, lls, hls-gmac")]
    [DataRow("AccessToUnknownAssociation", "{ \"obis\": \"0-0:43.0.0.255\", \"class\": 64 }|{ \"obis\": \"0-0:43.0.0.255\", \"class\": 64, \"access\": { \"guest\": {} } }", "p.json: $.objects[0].access.guest: no association named \"guest\"")]
    [DataRow("ComputedAttributeGiven", "{ \"obis\": \"0-0:43.0.0.255\", \"class\": 64 }|{ \"obis\": \"0-0:43.0.0.255\", \"class\": 64, \"attributes\": { \"2\": { \"enum\": 0 } } }", "p.json: $.objects[0].attributes: attribute 2: Security setup attributes are computed")]
    public void Parse_BrokenProfile_OneLineErrorWithFileAndPath(string name, string edit, string expectedStart)
    {
        string text = edit == "{" ? "{" : Valid.Replace(edit.Split('|')[0], edit.Split('|')[1], StringComparison.Ordinal);
        Assert.AreNotEqual(Valid, text, $"{name}: the edit did not apply");
        ConfigurationException ex = Assert.ThrowsExactly<ConfigurationException>(() => ProfileLoader.Parse(text, "p.json"), name);
        Assert.StartsWith(expectedStart, ex.Message, name);
        Assert.DoesNotContain("\n", ex.Message, name);
    }
}
