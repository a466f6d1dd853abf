using System.Runtime.InteropServices;

namespace Smets1Sim.Devices.Hosting;

/// <summary>
/// How many connections the file-descriptor limit (<c>ulimit -n</c>) leaves room for. Out of descriptors, the
/// .NET runtime itself fails (a thread cannot start, an assembly cannot load: the process dies with "Out of
/// memory."), so the process-wide connection limit is kept below the descriptor limit with a reserve, and a flood
/// is refused politely instead of exhausting them.
/// </summary>
internal static partial class DescriptorBudget
{
    /// <summary>
    /// Descriptors kept free for everything but connections: a refused connection while it is closed, state writes
    /// (a temporary file and the directory each, one per device writing at once), assembly loads, the runtime.
    /// </summary>
    public const int Reserve = 64;

    private const int RlimitNofile = 7; // Linux, every architecture .NET runs on

    /// <summary>
    /// Connections that fit under the descriptor limit once <paramref name="listeners"/> more sockets are open and
    /// the reserve is kept (at least 1), or null where the limit or the open count cannot be read (not Linux).
    /// </summary>
    public static int? ConnectionsAllowed(int listeners)
    {
        if (!OperatingSystem.IsLinux() || GetRLimit(RlimitNofile, out RLimit limit) != 0 || limit.Current > int.MaxValue)
        {
            return null;
        }

        int open;
        try
        {
            open = Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();
        }
        catch (IOException)
        {
            return null;
        }

        return (int)Math.Max(1, (long)limit.Current - open - listeners - Reserve);
    }

    /// <summary>The descriptor limit in force (soft), or null where it cannot be read.</summary>
    public static long? Limit => OperatingSystem.IsLinux() && GetRLimit(RlimitNofile, out RLimit limit) == 0 ? (long)Math.Min(limit.Current, long.MaxValue) : null;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);
}
