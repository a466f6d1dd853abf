using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Smets1Sim.EndToEnd.Tests.Fleet;

/// <summary>
/// A real <c>smets1sim</c> child process whose stdout and stderr are kept line by line, so a test can check which
/// stream a line went to. Killed on dispose if still running.
/// </summary>
internal sealed class ServeChild : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string?> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _stderrWaiters = [];

    private ServeChild(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _firstLine.TrySetResult(null);
                return;
            }

            Stdout.Enqueue(e.Data);
            _firstLine.TrySetResult(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderrWaiters)
                {
                    Stderr.Enqueue(e.Data);
                    foreach ((Func<string, bool> match, TaskCompletionSource<string> found) in _stderrWaiters)
                    {
                        if (match(e.Data))
                        {
                            found.TrySetResult(e.Data);
                        }
                    }
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "smets1sim.dll");

    public ConcurrentQueue<string> Stdout { get; } = new();

    public ConcurrentQueue<string> Stderr { get; } = new();

    public int Id => _process.Id;

    /// <summary>CPU time the child has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Runs <c>dotnet smets1sim.dll ARGS</c>.</summary>
    public static ServeChild Start(params string[] arguments) => Start("dotnet", [CliDll, .. arguments]);

    /// <summary>Runs <c>bash -c 'ulimit -n LIMIT; exec dotnet smets1sim.dll ARGS'</c>: the child alone gets the lower limit.</summary>
    public static ServeChild StartWithDescriptorLimit(int limit, params string[] arguments)
        => Start("bash", ["-c", $"ulimit -n {limit}; exec dotnet \"$0\" \"$@\"", CliDll, .. arguments]);

    private static ServeChild Start(string fileName, string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        return new ServeChild(Process.Start(info)!);
    }

    /// <summary>Waits for the ready line and returns it parsed.</summary>
    public async Task<JsonElement> ReadyAsync(CancellationToken ct)
    {
        string? line = await _firstLine.Task.WaitAsync(TimeSpan.FromSeconds(90), ct);
        if (line is null)
        {
            await _process.WaitForExitAsync(ct);
            throw new InvalidOperationException($"serve exited before ready: {string.Join(Environment.NewLine, Stderr)}");
        }

        using JsonDocument doc = JsonDocument.Parse(line);
        Assert.AreEqual("ready", doc.RootElement.GetProperty("event").GetString());
        return doc.RootElement.Clone();
    }

    /// <summary>The first stderr line (already written or still to come) that <paramref name="match"/> accepts.</summary>
    public async Task<string> StderrLineAsync(Func<string, bool> match, CancellationToken ct)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stderrWaiters)
        {
            if (Stderr.FirstOrDefault(match) is string seen)
            {
                return seen;
            }

            _stderrWaiters.Add((match, found));
        }

        return await found.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
    }

    public static int PortOf(JsonElement ready, string premisesId)
        => ready.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("premisesId").GetString() == premisesId).GetProperty("port").GetInt32();

    /// <summary>SIGKILL: the hardest stop there is.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    /// <summary>Sends SIGTERM, as a service manager does.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.AreEqual(0, kill.ExitCode);
    }

    /// <summary>Waits for the exit (a minute at most: a hang is a failure, not a measurement) and returns the code.</summary>
    public async Task<int> ExitCodeAsync(CancellationToken ct)
    {
        await _process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
