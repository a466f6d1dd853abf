namespace Smets1Sim.Dlms.Acse;

/// <summary>
/// COSEM authentication mechanism names (Green Book, IEC 62056-5-3 "authentication mechanism name"): the last arc of the object identifier
/// {2 16 756 5 8 mechanism-name(2) x}, encoded as <c>60 85 74 05 08 02 x</c>.
/// </summary>
public enum AuthenticationMechanism : byte
{
    /// <summary>Lowest level security: no authentication.</summary>
    None = 0,

    /// <summary>Low level security: a password in the calling authentication value.</summary>
    Lls = 1,

    /// <summary>High level security, manufacturer specific.</summary>
    Hls = 2,

    /// <summary>High level security with MD5 (deprecated).</summary>
    HlsMd5 = 3,

    /// <summary>High level security with SHA-1 (deprecated).</summary>
    HlsSha1 = 4,

    /// <summary>High level security with GMAC (security suite 0 and 1).</summary>
    HlsGmac = 5,

    /// <summary>High level security with SHA-256.</summary>
    HlsSha256 = 6,

    /// <summary>High level security with ECDSA.</summary>
    HlsEcdsa = 7,
}
