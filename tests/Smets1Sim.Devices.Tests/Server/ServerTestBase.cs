using Microsoft.Extensions.Time.Testing;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Devices.Server;
using Smets1Sim.Tests.Shared;

namespace Smets1Sim.Devices.Tests.Server;

/// <summary>
/// Base of the server-session tests: every session logs into <see cref="Log"/>, and a test fails at cleanup when
/// the server logged a warning or error it did not <see cref="TestLog.Expect"/>. MSTest makes one instance per test.
/// </summary>
public abstract class ServerTestBase
{
    /// <summary>What the servers of this test logged.</summary>
    internal TestLog Log { get; } = new();

    /// <summary>Fails the test on an unexpected server warning.</summary>
    [TestCleanup]
    public void AssertServerLogClean() => Log.AssertClean();

    /// <summary>A session over one device at wPort 2, logging into <see cref="Log"/>.</summary>
    internal (LogicalDevice Device, DlmsServerSession Session) Start(LogicalDevice? device = null)
    {
        device ??= TestDevice.Create();
        var session = new DlmsServerSession(new Dictionary<ushort, LogicalDevice> { [2] = device }, new FakeTimeProvider(), Log.Logger);
        return (device, session);
    }
}
