using Smets1Sim.Dlms.Security;

namespace Smets1Sim.Dlms.Tests.Security;

/// <summary>No key and no decrypted payload may reach a string that could end up in a log line.</summary>
[TestClass]
public sealed class SecretLeakTests
{
    private const string Kek = "101112131415161718191A1B1C1D1E1F";
    private const string NewKey = "00112233445566778899AABBCCDDEEFF";

    [TestMethod]
    public void ToStringsAndExceptionMessages_NeverContainKeyOrPlaintextHex()
    {
        var texts = new List<string>();
        using Suite0Cipher cipher = Vectors.Cipher();
        using SecretKey ek = SecretKey.FromHex(Vectors.EkHex);
        using SecretKey ak = SecretKey.FromHex(Vectors.AkHex);
        texts.Add(ek.ToString());
        texts.Add(ak.ToString());
        texts.Add(cipher.ToString());

        byte[] body = cipher.Protect(SecurityControl.AuthenticatedEncrypted, Vectors.SenderTitle, Vectors.Ic, Vectors.Hex(Vectors.GetClock));
        body[^1] ^= 1;
        texts.Add(Message(() => cipher.Unprotect(body, Vectors.SenderTitle, out _, out _)));
        texts.Add(Message(() => cipher.Unprotect(Vectors.Hex("3101234567"), Vectors.SenderTitle, out _, out _)));
        texts.Add(Message(() => cipher.Unprotect(Vectors.Hex("300123456700"), Vectors.SenderTitle, out _, out _)));
        texts.Add(Message(() => cipher.Protect(new SecurityControl(0x31), Vectors.SenderTitle, 1, Vectors.Hex(Vectors.GetClock))));
        texts.Add(Message(() => HlsGmac.Verify(cipher, Vectors.Hex("10000000011A52FE7DD3E72748973C1E29"), Vectors.SenderTitle, [1, 2, 3, 4, 5, 6, 7, 8])));

        CipheredApdu apdu = CipheredApdu.Decode(Vectors.Hex(Vectors.GetClockSc30));
        texts.Add(apdu.ToString());
        texts.Add(Message(() => CipheredApdu.Decode(Vectors.Hex(Vectors.GetClockSc30 + "00"))));
        byte[] wrongTag = cipher.Protect(SecurityControl.AuthenticatedEncrypted, Vectors.SenderTitle, 1, Vectors.Hex("C4" + NewKey));
        texts.Add(Message(() => new CipheredApdu(CipheredApduKind.ServiceSpecificGlobal, 0xC8, null, wrongTag).Open(cipher, Vectors.SenderTitle, out _, out _)));

        byte[] wrapped = KeyWrap.Wrap(Vectors.Hex(Kek), Vectors.Hex(NewKey));
        texts.Add(Message(() => KeyWrap.Unwrap(Vectors.Hex(Vectors.EkHex), wrapped)));
        using SecretKey kek = SecretKey.FromHex(Kek);
        texts.Add(Message(() => KeyWrap.UnwrapKey(kek, wrapped.AsSpan(0, wrapped.Length - 8))));
        texts.Add(Message(() => SecretKey.FromHex(Vectors.EkHex + "00")));
        texts.Add(Message(() => SecretKey.FromHex(Vectors.EkHex[..^1] + "Z")));
        using SecretKey longKey = SecretKey.FromHex(Kek + "0000000000000000");
        texts.Add(Message(() =>
        {
            using var unused = new Suite0Cipher(kek, longKey);
        }));

        string[] secrets = [Vectors.EkHex, Vectors.AkHex, Kek, NewKey, "C0010000080000010000FF0200"];
        foreach (string text in texts)
        {
            foreach (string secret in secrets)
            {
                // Any 4-byte window of a secret is enough to call it a leak.
                for (int i = 0; i + 8 <= secret.Length; i += 2)
                {
                    Assert.DoesNotContain(secret.Substring(i, 8), text, StringComparison.OrdinalIgnoreCase, $"\"{text}\" leaks {secret}");
                }
            }
        }
    }

    private static string Message(Action action) => Vectors.Catch<Exception>(action).Message;
}
