using Smets1Sim.Dlms.Security;

namespace Smets1Sim.Dlms.Tests.Security;

/// <summary>The known-answer material of docs/dlms-wire.md section 4, and helpers shared by the security tests.</summary>
internal static class Vectors
{
    public const string EkHex = "000102030405060708090A0B0C0D0E0F";
    public const string AkHex = "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF";
    /// <summary>
    /// The sender of the GET vectors and of the ciphered AARQ (the client there), and of HLS pass 4 (the server):
    /// the vectors use one system title for both roles.
    /// </summary>
    public const string SenderTitleHex = "4D4D4D0000BC614E";
    public const uint Ic = 0x01234567;

    /// <summary>GET clock (0-0:1.0.0.255) attribute 2: get-request-normal, invoke-id-and-priority 0x01... 0x00.</summary>
    public const string GetClock = "C0010000080000010000FF0200";

    public const string GetClockSc30 = "C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B";
    public const string GetClockSc10 = "C81E1001234567C0010000080000010000FF020006725D910F9221D263877516";
    public const string GetClockSc20 = "C8122001234567411312FF935A47566827C467BC";

    /// <summary>The user-information of the ciphered AARQ vector: a glo-initiateRequest.</summary>
    public const string AarqGloInitiateRequest =
        "21303001234567801302FF8A7874133D414CED25B42534D28DB0047720606B175BD52211BE6841DB204D39EE6FDB8E356855";

    public const string Aarq =
        "6066A109060760857405080103A60A04084D4D4D0000BC614E8A0207808B0760857405080201AC0A80083132333435363738BE3404"
        + "32" + AarqGloInitiateRequest;

    public static SystemTitle SenderTitle => SystemTitle.Parse(SenderTitleHex);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static Suite0Cipher Cipher(string ekHex = EkHex, string akHex = AkHex)
    {
        using SecretKey ek = SecretKey.FromHex(ekHex);
        using SecretKey ak = SecretKey.FromHex(akHex);
        return new Suite0Cipher(ek, ak);
    }

    /// <summary>Runs <paramref name="action"/> and returns the exception of type <typeparamref name="T"/> it throws.</summary>
    public static T Catch<T>(Action action)
        where T : Exception
    {
        try
        {
            action();
        }
        catch (T ex)
        {
            return ex;
        }

        throw new AssertFailedException($"expected {typeof(T).Name}");
    }
}
