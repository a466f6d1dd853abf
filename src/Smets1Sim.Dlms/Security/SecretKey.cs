using System.Buffers;
using System.Security.Cryptography;

namespace Smets1Sim.Dlms.Security;

/// <summary>
/// A symmetric key (EK, AK or KEK) held in a private, pinned buffer that is zeroed on <see cref="Dispose"/>.
/// The bytes are reachable only through <see cref="Span"/> and the explicitly named <see cref="ExportHex"/>;
/// <see cref="ToString"/> and every exception message leave them out, so a key cannot reach a log by accident.
/// </summary>
public sealed class SecretKey : IDisposable
{
    // Pinned so the GC never leaves a stale copy behind when it compacts the heap.
    private readonly byte[] _key;
    private volatile bool _disposed;

    private SecretKey(ReadOnlySpan<byte> key)
    {
        ValidateLength(key.Length);
        _key = GC.AllocateArray<byte>(key.Length, pinned: true);
        key.CopyTo(_key);
    }

    /// <summary>Key length in bytes: 16, 24 or 32 (AES-128/192/256).</summary>
    public int Length => _key.Length;

    /// <summary>The key bytes. Do not keep the span beyond the key's lifetime.</summary>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public ReadOnlySpan<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _key;
        }
    }

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Copies <paramref name="key"/> (16, 24 or 32 bytes) into a new key.</summary>
    /// <exception cref="ArgumentException">Wrong length.</exception>
    public static SecretKey FromBytes(ReadOnlySpan<byte> key) => new(key);

    /// <summary>Parses a key written as hex (32, 48 or 64 digits).</summary>
    /// <exception cref="FormatException">Not hex.</exception>
    /// <exception cref="ArgumentException">Wrong length.</exception>
    public static SecretKey FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length % 2 != 0)
        {
            throw new FormatException("a hex key needs an even number of digits");
        }

        ValidateLength(hex.Length / 2);
        Span<byte> buffer = stackalloc byte[32];
        try
        {
            OperationStatus status = Convert.FromHexString(hex, buffer, out _, out int written);
            if (status != OperationStatus.Done)
            {
                // The message never echoes the input: it is key material.
                throw new FormatException("a hex key may contain only hex digits");
            }

            return new SecretKey(buffer[..written]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>A fresh random key from the operating system's CSPRNG.</summary>
    /// <param name="length">16, 24 or 32 bytes.</param>
    public static SecretKey Generate(int length = 16)
    {
        ValidateLength(length);
        Span<byte> buffer = stackalloc byte[length];
        try
        {
            RandomNumberGenerator.Fill(buffer);
            return new SecretKey(buffer);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>An independent copy that must be disposed separately.</summary>
    public SecretKey Copy() => new(Span);

    /// <summary>
    /// The key as upper-case hex. Named so that every use stands out in review: the only legitimate caller
    /// writes keys to the fleet's key file. The returned string cannot be zeroed.
    /// </summary>
    public string ExportHex() => Convert.ToHexString(Span);

    /// <summary>Constant-time comparison of the key bytes (lengths are not secret).</summary>
    public bool KeyEquals(SecretKey other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return CryptographicOperations.FixedTimeEquals(Span, other.Span);
    }

    /// <summary>Zeroes the key. Further access throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_key);
    }

    /// <summary>Describes the key without revealing it, e.g. "SecretKey(16 bytes)".</summary>
    public override string ToString() => _disposed ? "SecretKey(disposed)" : $"SecretKey({_key.Length} bytes)";

    private static void ValidateLength(int length)
    {
        if (length is not (16 or 24 or 32))
        {
            throw new ArgumentException($"an AES key is 16, 24 or 32 bytes, got {length}");
        }
    }
}
