using Microsoft.Extensions.Time.Testing;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Profiles;

namespace Smets1Sim.Devices.Tests.Fleet;

/// <summary>System titles of generated fleets: unique across fleets unless a base is chosen.</summary>
[TestClass]
public sealed class FleetSerialTests
{
    private static readonly IReadOnlyDictionary<string, DeviceProfile> Profiles = ProfileLoader.LoadAllEmbedded();

    private static FleetFile Generate(long? serialBase, int premises = 250)
        => FleetGenerator.Generate(new FleetOptions { Premises = premises, SerialBase = serialBase }, Profiles, new FakeTimeProvider());

    [TestMethod]
    public void Generate_TwoFleetsWithoutSerialBase_NoSharedSystemTitle()
    {
        HashSet<string> first = [.. Generate(null).Devices.Select(d => d.ServerSystemTitle)];
        Assert.IsFalse(Generate(null).Devices.Any(d => first.Contains(d.ServerSystemTitle)));
    }

    [TestMethod]
    public void Generate_SameSerialBase_SameTitlesAndNames()
    {
        FleetFile a = Generate(5000, premises: 2);
        FleetFile b = Generate(5000, premises: 2);
        CollectionAssert.AreEqual(a.Devices.Select(d => d.ServerSystemTitle).ToArray(), b.Devices.Select(d => d.ServerSystemTitle).ToArray());
        Assert.AreEqual("534D530000001388", a.Devices[0].ServerSystemTitle);
        Assert.AreEqual("SMSCHF00005000", a.Devices[0].LogicalDeviceName);
    }

    [TestMethod]
    [DataRow(0L)]
    [DataRow(FleetGenerator.SerialLimit - 7)]
    public void Generate_SerialBaseOutOfRange_Throws(long serialBase)
        => Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Generate(serialBase, premises: 2));
}
