using Smets1Sim.Devices.State;

namespace Smets1Sim.Devices.Tests.State;

/// <summary>The state directory itself: who may enter it, which devices it has seen.</summary>
[TestClass]
public sealed class StateDirectoryTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [TestMethod]
    public void Create_NewDirectory_OwnerOnly()
    {
        string parent = Directory.CreateTempSubdirectory("state-dir").FullName;
        try
        {
            var store = new DeviceStateStore(Path.Combine(parent, "state"));
            if (!OperatingSystem.IsWindows())
            {
                Assert.AreEqual(OwnerOnly, File.GetUnixFileMode(store.Directory));
            }
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [TestMethod]
    public void Create_ExistingOpenDirectory_Tightened()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string dir = Directory.CreateTempSubdirectory("state-dir").FullName;
        try
        {
            File.SetUnixFileMode(dir, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            _ = new DeviceStateStore(dir);
            Assert.AreEqual(OwnerOnly, File.GetUnixFileMode(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
