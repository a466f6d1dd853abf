using Smets1Sim.Devices.Json;

namespace Smets1Sim.Cli.Commands;

/// <summary>Exit codes and the one-line error convention of every command.</summary>
internal static class CliErrors
{
    /// <summary>Bad input from the user: a broken profile, fleet or state file, a bad option.</summary>
    public const int BadInput = 2;

    /// <summary>The work itself failed (cannot bind, I/O).</summary>
    public const int Failed = 1;

    /// <summary>Runs <paramref name="action"/> and turns the expected failures into one line on stderr and an exit code.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"smets1sim: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync($"smets1sim: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"smets1sim: {ex.Message}").ConfigureAwait(false);
            return Failed;
        }
    }
}

/// <summary>An option value that makes no sense.</summary>
internal sealed class UsageException(string message) : Exception(message);
