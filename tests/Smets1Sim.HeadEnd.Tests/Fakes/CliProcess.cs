using System.Diagnostics;

namespace Smets1Sim.HeadEnd.Tests.Fakes;

/// <summary>The smets1sim command run as a real child process (the CLI assembly is copied next to the tests).</summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;

    private CliProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
    }

    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "smets1sim.dll");

    public int Id => _process.Id;

    public static CliProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CliDll);
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Remove("SMETS1SIM_STORE_KEY");
        foreach ((string name, string? value) in environment)
        {
            info.Environment[name] = value;
        }

        return new CliProcess(Process.Start(info)!);
    }

    /// <summary>Runs to the end; returns the exit code and both streams.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, CancellationToken ct)
    {
        using CliProcess p = Start(arguments, environment);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        string stderr = await p._process.StandardError.ReadToEndAsync(timeout.Token);
        await p._process.WaitForExitAsync(timeout.Token);
        return (p._process.ExitCode, await p._stdout, stderr);
    }

    /// <summary>Reads stderr lines until one starts with <paramref name="prefix"/>; fails if the process ends first.</summary>
    public async Task<string> WaitForStderrLineAsync(string prefix, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        var seen = new List<string>();
        try
        {
            while (await _process.StandardError.ReadLineAsync(timeout.Token) is { } line)
            {
                seen.Add(line);
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new AssertFailedException($"no '{prefix}' within 120 s; stderr so far: {string.Join(" | ", seen)}");
        }

        throw new AssertFailedException($"the head-end ended (exit {(_process.HasExited ? _process.ExitCode : -1)}) before '{prefix}'; stderr: {string.Join(" | ", seen)}; stdout: {await _stdout}");
    }

    /// <summary>SIGKILL: no finally block, no flush, no lease release runs.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
