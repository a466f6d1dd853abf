using System.Security.Cryptography;
using Smets1Sim.Dlms.Security;

namespace Smets1Sim.HeadEnd.Store;

/// <summary>
/// The store master key: 32 bytes (AES-256) that encrypt every device key at rest. It never lives in the database:
/// it comes from the environment variable <see cref="EnvironmentVariable"/> or from a key file, both as 64 hex digits.
/// </summary>
public static class StoreMasterKey
{
    /// <summary>The environment variable that holds the master key as 64 hex digits.</summary>
    public const string EnvironmentVariable = "SMETS1SIM_STORE_KEY";

    /// <summary>Length of the master key in bytes.</summary>
    public const int Length = 32;

    /// <summary>The one line every store command prints when no key is given.</summary>
    public const string HowToGive =
        "no store master key: set SMETS1SIM_STORE_KEY to 64 hex digits (e.g. from `openssl rand -hex 32`) or pass --store-key-file FILE";

    /// <summary>Loads the key from <paramref name="keyFile"/> when given, else from the environment.</summary>
    /// <exception cref="HeadEndStoreException">No key, or not 64 hex digits, or the file cannot be read.</exception>
    public static SecretKey Load(string? keyFile, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string? text;
        string source;
        if (keyFile is not null)
        {
            source = keyFile;
            try
            {
                text = File.ReadAllText(keyFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new HeadEndStoreException(StoreFailure.MasterKeyUnreadable, $"{keyFile}: cannot read the store key file: {ex.Message}", ex);
            }
        }
        else
        {
            source = EnvironmentVariable;
            text = environment(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new HeadEndStoreException(StoreFailure.MasterKeyMissing, HowToGive);
            }
        }

        return Parse(text.Trim(), source);
    }

    /// <summary>A fresh random master key (for tests and first-time setup).</summary>
    public static SecretKey Generate() => SecretKey.Generate(Length);

    private static SecretKey Parse(string hex, string source)
    {
        if (hex.Length != 2 * Length)
        {
            // Never echo the text: it is key material.
            throw new HeadEndStoreException(StoreFailure.MasterKeyUnreadable, $"{source}: the store master key must be 64 hex digits, got {hex.Length} characters");
        }

        Span<byte> bytes = stackalloc byte[Length];
        try
        {
            if (Convert.FromHexString(hex, bytes, out _, out int written) != System.Buffers.OperationStatus.Done || written != Length)
            {
                throw new HeadEndStoreException(StoreFailure.MasterKeyUnreadable, $"{source}: the store master key must be 64 hex digits");
            }

            return SecretKey.FromBytes(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
