namespace Smets1Sim.Dlms.Security;

/// <summary>
/// The xDLMS tags of service-specific ciphered APDUs (DLMS UA Green Book, xDLMS APDU ASN.1 definitions) and the plain APDUs they
/// carry:
/// <code>
///   plain                       glo-   ded-
///   initiateRequest        01   21     41
///   initiateResponse       08   28     48
///   confirmedServiceError  0E   2E     4E
///   get-request            C0   C8     D0
///   set-request            C1   C9     D1
///   event-notification     C2   CA     D2
///   action-request         C3   CB     D3
///   get-response           C4   CC     D4
///   set-response           C5   CD     D5
///   action-response        C7   CF     D7
/// </code>
/// Other APDUs (data-notification 0x0F among them) can only be protected with general-glo/ded-ciphering.
/// </summary>
public static class CipheredTags
{
    /// <summary>general-glo-ciphering.</summary>
    public const byte GeneralGlobalCiphering = 0xDB;

    /// <summary>general-ded-ciphering.</summary>
    public const byte GeneralDedicatedCiphering = 0xDC;

    /// <summary>general-ciphering (with key transport information; not supported here).</summary>
    public const byte GeneralCiphering = 0xDD;

    private static ReadOnlySpan<byte> Plain => [0x01, 0x08, 0x0E, 0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC7];

    private static ReadOnlySpan<byte> Global => [0x21, 0x28, 0x2E, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCD, 0xCF];

    private static ReadOnlySpan<byte> Dedicated => [0x41, 0x48, 0x4E, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD7];

    /// <summary>The glo- tag that carries the plain APDU tag <paramref name="plain"/>, if one exists.</summary>
    public static bool TryGetGlobalTag(byte plain, out byte global) => TryMap(Plain, Global, plain, out global);

    /// <summary>The ded- tag that carries the plain APDU tag <paramref name="plain"/>, if one exists.</summary>
    public static bool TryGetDedicatedTag(byte plain, out byte dedicated) => TryMap(Plain, Dedicated, plain, out dedicated);

    /// <summary>
    /// The plain APDU tag carried by the service-specific ciphered tag <paramref name="ciphered"/>, and whether it
    /// is a ded- (dedicated key) tag. False for any other byte, the general-ciphering tags included.
    /// </summary>
    public static bool TryGetPlainTag(byte ciphered, out byte plain, out bool dedicated)
    {
        if (TryMap(Global, Plain, ciphered, out plain))
        {
            dedicated = false;
            return true;
        }

        dedicated = true;
        if (TryMap(Dedicated, Plain, ciphered, out plain))
        {
            return true;
        }

        dedicated = false;
        return false;
    }

    /// <summary>True for the service-specific glo-/ded- tags.</summary>
    public static bool IsServiceSpecific(byte tag) => Global.Contains(tag) || Dedicated.Contains(tag);

    private static bool TryMap(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, byte tag, out byte mapped)
    {
        int index = from.IndexOf(tag);
        mapped = index < 0 ? (byte)0 : to[index];
        return index >= 0;
    }
}
