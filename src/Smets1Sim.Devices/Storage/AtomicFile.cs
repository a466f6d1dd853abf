using System.Runtime.InteropServices;

namespace Smets1Sim.Devices.Storage;

/// <summary>
/// Crash-safe whole-file replacement: write a temporary file in the same directory (owner-only permissions from
/// creation, before any byte is written), flush it to the disk, rename it over the target, then flush the
/// directory so the rename itself survives a power cut. A kill -9 at any instant leaves either the old or the new
/// complete file, never a torn one.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="contents"/> atomically and durably.</summary>
    public static void Write(string path, ReadOnlySpan<byte> contents)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        FlushDirectory(directory);
    }

    /// <summary>Removes temporary files a crashed writer left behind next to <paramref name="path"/>.</summary>
    public static void CleanUpTemporaries(string path)
    {
        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);
        if (directory is null || !Directory.Exists(directory))
        {
            return;
        }

        foreach (string stale in Directory.EnumerateFiles(directory, $".{Path.GetFileName(full)}.*.tmp"))
        {
            TryDelete(stale);
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
        }
    }

    private static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // NTFS makes the rename durable with the file's own flush.
        }

        int fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return;
        }

        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
