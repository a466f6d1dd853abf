using Smets1Sim.Dlms.Security;

namespace Smets1Sim.Devices.Runtime;

/// <summary>Key ids of Security setup key_transfer (Blue Book 4.4.7; docs/dlms-wire.md section 3).</summary>
public enum KeyId : byte
{
    /// <summary>Global unicast encryption key (EK).</summary>
    GlobalUnicastEncryption = 0,
    /// <summary>Global broadcast encryption key.</summary>
    GlobalBroadcastEncryption = 1,
    /// <summary>Authentication key (AK).</summary>
    Authentication = 2,
    /// <summary>Master key (KEK) that wraps the others in key_transfer.</summary>
    Master = 3,
}

/// <summary>
/// The symmetric keys of one logical device. Owns its <see cref="SecretKey"/>s and zeroes them on dispose.
/// </summary>
public sealed class KeySet : IDisposable
{
    /// <summary>Takes ownership of the given keys.</summary>
    public KeySet(SecretKey encryption, SecretKey authentication, SecretKey master, SecretKey? broadcast = null)
    {
        Encryption = encryption ?? throw new ArgumentNullException(nameof(encryption));
        Authentication = authentication ?? throw new ArgumentNullException(nameof(authentication));
        Master = master ?? throw new ArgumentNullException(nameof(master));
        Broadcast = broadcast;
    }

    /// <summary>Global unicast encryption key EK.</summary>
    public SecretKey Encryption { get; }

    /// <summary>Authentication key AK.</summary>
    public SecretKey Authentication { get; }

    /// <summary>Master key KEK.</summary>
    public SecretKey Master { get; }

    /// <summary>Global broadcast encryption key, when one was ever set.</summary>
    public SecretKey? Broadcast { get; }

    /// <summary>A deep copy with <paramref name="replacements"/> applied (each key copied; the caller keeps the originals).</summary>
    public KeySet With(IReadOnlyDictionary<KeyId, SecretKey> replacements)
    {
        ArgumentNullException.ThrowIfNull(replacements);
        SecretKey Pick(KeyId id, SecretKey current) => (replacements.TryGetValue(id, out SecretKey? key) ? key : current).Copy();
        return new KeySet(
            Pick(KeyId.GlobalUnicastEncryption, Encryption),
            Pick(KeyId.Authentication, Authentication),
            Pick(KeyId.Master, Master),
            replacements.TryGetValue(KeyId.GlobalBroadcastEncryption, out SecretKey? b) ? b.Copy() : Broadcast?.Copy());
    }

    /// <summary>A deep copy.</summary>
    public KeySet Copy() => With(new Dictionary<KeyId, SecretKey>());

    /// <summary>True when EK or AK differ, i.e. the invocation counters that belong to them start again.</summary>
    public bool CipherKeysDiffer(KeySet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return !Encryption.KeyEquals(other.Encryption) || !Authentication.KeyEquals(other.Authentication);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Encryption.Dispose();
        Authentication.Dispose();
        Master.Dispose();
        Broadcast?.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => "KeySet(EK, AK, KEK: redacted)";
}
