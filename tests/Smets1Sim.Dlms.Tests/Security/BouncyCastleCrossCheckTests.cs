using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Smets1Sim.Dlms.Security;

namespace Smets1Sim.Dlms.Tests.Security;

/// <summary>Suite 0 and RFC 3394 against an independent implementation, on seeded random inputs.</summary>
[TestClass]
public sealed class BouncyCastleCrossCheckTests
{
    private const int Rounds = 300;

    [TestMethod]
    [DataRow((byte)0x30)]
    [DataRow((byte)0x10)]
    [DataRow((byte)0x20)]
    public void Protect_MatchesBouncyCastleGcm96(byte scValue)
    {
        var random = new Random(0x5EC0 + scValue);
        var sc = new SecurityControl(scValue);
        for (int round = 0; round < Rounds; round++)
        {
            byte[] ek = Bytes(random, 16);
            byte[] ak = Bytes(random, 16);
            byte[] apdu = Bytes(random, random.Next(0, 600));
            var sender = new SystemTitle((ulong)random.NextInt64());
            uint ic = (uint)random.NextInt64(0, 1L << 32);
            byte[] iv = [.. sender.ToArray(), (byte)(ic >> 24), (byte)(ic >> 16), (byte)(ic >> 8), (byte)ic];

            // Suite 0 per Green Book 9.2.7.2.4: AAD = SC || AK (|| APDU when authenticated only).
            byte[] aad = sc.Encrypted ? [scValue, .. ak] : [scValue, .. ak, .. apdu];
            byte[] plaintext = sc.Encrypted ? apdu : [];
            byte[] bcOutput = BouncyGcm(ek, iv, aad, plaintext);
            byte[] expectedPayloadAndTag = sc.Encrypted
                ? sc.Authenticated ? bcOutput : bcOutput[..^12]
                : [.. apdu, .. bcOutput];
            byte[] expected = [scValue, .. iv[8..], .. expectedPayloadAndTag];

            using SecretKey ekKey = SecretKey.FromBytes(ek);
            using SecretKey akKey = SecretKey.FromBytes(ak);
            using var cipher = new Suite0Cipher(ekKey, akKey);
            CollectionAssert.AreEqual(expected, cipher.Protect(sc, sender, ic, apdu), $"round {round}");
            CollectionAssert.AreEqual(apdu, cipher.Unprotect(expected, sender, out _, out uint readIc), $"round {round}");
            Assert.AreEqual(ic, readIc);
        }
    }

    [TestMethod]
    public void HlsResponse_MatchesBouncyCastleGmac()
    {
        var random = new Random(5);
        for (int round = 0; round < Rounds; round++)
        {
            byte[] ek = Bytes(random, 16);
            byte[] ak = Bytes(random, 16);
            byte[] challenge = Bytes(random, random.Next(HlsGmac.MinChallengeLength, HlsGmac.MaxChallengeLength + 1));
            var sender = new SystemTitle((ulong)random.NextInt64());
            uint ic = (uint)random.NextInt64(0, 1L << 32);
            byte[] iv = [.. sender.ToArray(), (byte)(ic >> 24), (byte)(ic >> 16), (byte)(ic >> 8), (byte)ic];

            var gmac = new GMac(new GcmBlockCipher(new AesEngine()), 96);
            gmac.Init(new ParametersWithIV(new KeyParameter(ek), iv));
            byte[] aad = [0x10, .. ak, .. challenge];
            gmac.BlockUpdate(aad, 0, aad.Length);
            byte[] tag = new byte[12];
            gmac.DoFinal(tag, 0);

            using SecretKey ekKey = SecretKey.FromBytes(ek);
            using SecretKey akKey = SecretKey.FromBytes(ak);
            using var cipher = new Suite0Cipher(ekKey, akKey);
            byte[] expected = [0x10, .. iv[8..], .. tag];
            CollectionAssert.AreEqual(expected, HlsGmac.ComputeResponse(cipher, sender, ic, challenge), $"round {round}");
            Assert.AreEqual(ic, HlsGmac.Verify(cipher, expected, sender, challenge));
        }
    }

    [TestMethod]
    public void KeyWrap_MatchesBouncyCastleRfc3394()
    {
        var random = new Random(3394);
        for (int round = 0; round < Rounds; round++)
        {
            byte[] kek = Bytes(random, 8 * random.Next(2, 5));
            byte[] key = Bytes(random, 8 * random.Next(2, 9));

            var engine = new Rfc3394WrapEngine(new AesEngine());
            engine.Init(true, new KeyParameter(kek));
            byte[] expected = engine.Wrap(key, 0, key.Length);
            CollectionAssert.AreEqual(expected, KeyWrap.Wrap(kek, key), $"round {round}");

            engine.Init(false, new KeyParameter(kek));
            CollectionAssert.AreEqual(key, engine.Unwrap(expected, 0, expected.Length));
            CollectionAssert.AreEqual(key, KeyWrap.Unwrap(kek, expected), $"round {round}");
        }
    }

    private static byte[] BouncyGcm(byte[] key, byte[] iv, byte[] aad, byte[] plaintext)
    {
        var gcm = new GcmBlockCipher(new AesEngine());
        gcm.Init(true, new AeadParameters(new KeyParameter(key), 96, iv, aad));
        byte[] output = new byte[gcm.GetOutputSize(plaintext.Length)];
        int written = gcm.ProcessBytes(plaintext, 0, plaintext.Length, output, 0);
        gcm.DoFinal(output, written);
        return output;
    }

    private static byte[] Bytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
