using Smets1Sim.Tests.Shared;

namespace Smets1Sim.EndToEnd.Tests;

/// <summary>
/// Base of the tests that host servers in-process: the servers log into <see cref="Log"/>, and a test fails at
/// cleanup when one logged a warning or error it did not <see cref="TestLog.Expect"/> (an internal error on the
/// server side can no longer hide behind a client-side exception). MSTest makes one instance per test.
/// </summary>
public abstract class LoggedServerTests
{
    /// <summary>What the servers of this test logged.</summary>
    internal TestLog Log { get; } = new();

    /// <summary>Fails the test on an unexpected server warning.</summary>
    [TestCleanup]
    public void AssertServerLogClean() => Log.AssertClean();
}
