using Smets1Sim.Dlms.Security;

namespace Smets1Sim.Client.Tests.Fakes;

/// <summary>The docs/dlms-wire.md section 4 test keys and titles: never real-looking keys.</summary>
internal static class TestKeys
{
    public const string EncryptionKeyHex = "000102030405060708090A0B0C0D0E0F";
    public const string AuthenticationKeyHex = "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF";
    public const string KekHex = "000102030405060708090A0B0C0D0E0F";
    public const string NewEncryptionKeyHex = "00112233445566778899AABBCCDDEEFF";

    public static SystemTitle ClientTitle { get; } = SystemTitle.Parse("4D4D4D0000000001");

    public static SystemTitle ServerTitle { get; } = SystemTitle.Parse("4D4D4D0000BC614E");

    public static SecretKey Ek() => SecretKey.FromHex(EncryptionKeyHex);

    public static SecretKey Ak() => SecretKey.FromHex(AuthenticationKeyHex);

    public static Suite0Cipher Cipher()
    {
        using SecretKey ek = Ek();
        using SecretKey ak = Ak();
        return new Suite0Cipher(ek, ak);
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
}
