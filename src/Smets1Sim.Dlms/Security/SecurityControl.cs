namespace Smets1Sim.Dlms.Security;

/// <summary>
/// The security control byte that opens every ciphered APDU body (DLMS UA Green Book, security header of ciphered xDLMS APDUs):
/// <code>
///   bit 7        bit 6          bit 5       bit 4            bits 3..0
///   compressed | broadcast key | encrypted | authenticated |  security suite id
/// </code>
/// </summary>
/// <param name="Value">The raw byte.</param>
public readonly record struct SecurityControl(byte Value)
{
    /// <summary>Mask of the security suite id (bits 0-3).</summary>
    public const byte SuiteIdMask = 0x0F;

    /// <summary>Bit 4: the APDU carries an authentication tag.</summary>
    public const byte AuthenticationBit = 0x10;

    /// <summary>Bit 5: the APDU is encrypted.</summary>
    public const byte EncryptionBit = 0x20;

    /// <summary>Bit 6: the broadcast key was used instead of the unicast key.</summary>
    public const byte BroadcastKeyBit = 0x40;

    /// <summary>Bit 7: the APDU was compressed before protection.</summary>
    public const byte CompressionBit = 0x80;

    /// <summary>SC 0x30: suite 0, authenticated and encrypted (what SMETS1 management traffic uses).</summary>
    public static SecurityControl AuthenticatedEncrypted => new(AuthenticationBit | EncryptionBit);

    /// <summary>SC 0x10: suite 0, authenticated only; the APDU travels in clear before the tag.</summary>
    public static SecurityControl AuthenticatedOnly => new(AuthenticationBit);

    /// <summary>SC 0x20: suite 0, encrypted only; no tag.</summary>
    public static SecurityControl EncryptedOnly => new(EncryptionBit);

    /// <summary>The security suite id (0 = AES-GCM-128).</summary>
    public int SuiteId => Value & SuiteIdMask;

    /// <summary>True when bit 4 (authentication) is set.</summary>
    public bool Authenticated => (Value & AuthenticationBit) != 0;

    /// <summary>True when bit 5 (encryption) is set.</summary>
    public bool Encrypted => (Value & EncryptionBit) != 0;

    /// <summary>True when bit 6 (broadcast key) is set.</summary>
    public bool BroadcastKey => (Value & BroadcastKeyBit) != 0;

    /// <summary>True when bit 7 (compression) is set.</summary>
    public bool Compressed => (Value & CompressionBit) != 0;

    /// <summary>E.g. "SC 0x30 (suite 0, authenticated, encrypted)".</summary>
    public override string ToString()
    {
        var parts = new List<string>(5) { $"suite {SuiteId}" };
        if (Authenticated)
        {
            parts.Add("authenticated");
        }

        if (Encrypted)
        {
            parts.Add("encrypted");
        }

        if (BroadcastKey)
        {
            parts.Add("broadcast key");
        }

        if (Compressed)
        {
            parts.Add("compressed");
        }

        return $"SC 0x{Value:X2} ({string.Join(", ", parts)})";
    }
}
