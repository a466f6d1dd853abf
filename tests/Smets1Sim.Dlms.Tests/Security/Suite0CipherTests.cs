using Smets1Sim.Dlms.Security;

namespace Smets1Sim.Dlms.Tests.Security;

[TestClass]
public sealed class Suite0CipherTests
{
    // docs/dlms-wire.md section 4: EK 000102..0F, AK D0..DF, sender 4D4D4D0000BC614E, IC 01234567, GET clock attribute 2.
    [TestMethod]
    [DataRow((byte)0x30, "3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B", DisplayName = "AuthenticatedEncrypted")]
    [DataRow((byte)0x10, "1001234567C0010000080000010000FF020006725D910F9221D263877516", DisplayName = "AuthenticatedOnly")]
    [DataRow((byte)0x20, "2001234567411312FF935A47566827C467BC", DisplayName = "EncryptedOnly")]
    public void Protect_KnownAnswer_MatchesVector(byte sc, string expectedBody)
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        byte[] body = cipher.Protect(new SecurityControl(sc), Vectors.SenderTitle, Vectors.Ic, Vectors.Hex(Vectors.GetClock));
        Assert.AreEqual(expectedBody, Convert.ToHexString(body));
    }

    [TestMethod]
    [DataRow((byte)0x30, "3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B", DisplayName = "AuthenticatedEncrypted")]
    [DataRow((byte)0x10, "1001234567C0010000080000010000FF020006725D910F9221D263877516", DisplayName = "AuthenticatedOnly")]
    [DataRow((byte)0x20, "2001234567411312FF935A47566827C467BC", DisplayName = "EncryptedOnly")]
    public void Unprotect_KnownAnswer_ReturnsApduScAndIc(byte sc, string body)
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        byte[] apdu = cipher.Unprotect(Vectors.Hex(body), Vectors.SenderTitle, out SecurityControl actualSc, out uint ic);
        Assert.AreEqual(Vectors.GetClock, Convert.ToHexString(apdu));
        Assert.AreEqual(sc, actualSc.Value);
        Assert.AreEqual(Vectors.Ic, ic);
    }

    public static IEnumerable<object[]> TamperCases =>
    [
        ["FlippedCiphertextBit"], ["FlippedTagBit"], ["FlippedScByte"], ["FlippedAkBit"], ["FlippedSystemTitleBit"],
        ["FlippedIcBit"], ["TruncatedTag"], ["WrongEncryptionKey"], ["ClearApduBitFlipped"],
    ];

    [TestMethod]
    [DynamicData(nameof(TamperCases))]
    public void Unprotect_Tampered_ThrowsAuthenticationFailed(string defect)
    {
        foreach (SecurityControl sc in new[] { SecurityControl.AuthenticatedEncrypted, SecurityControl.AuthenticatedOnly })
        {
            using Suite0Cipher cipher = Vectors.Cipher();
            byte[] body = cipher.Protect(sc, Vectors.SenderTitle, Vectors.Ic, Vectors.Hex(Vectors.GetClock));
            SystemTitle sender = Vectors.SenderTitle;
            Suite0Cipher receiver = cipher;
            switch (defect)
            {
                case "FlippedCiphertextBit" or "ClearApduBitFlipped":
                    body[Suite0Cipher.HeaderLength + 3] ^= 0x01;
                    break;
                case "FlippedTagBit":
                    body[^1] ^= 0x80;
                    break;
                case "FlippedScByte":
                    // 0x30 <-> 0x10 stays a supported SC, so only the tag can catch it.
                    body[0] ^= SecurityControl.EncryptionBit;
                    break;
                case "FlippedAkBit":
                    receiver = Vectors.Cipher(akHex: "D1D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
                    break;
                case "FlippedSystemTitleBit":
                    sender = new SystemTitle(sender.Value ^ 1);
                    break;
                case "FlippedIcBit":
                    body[4] ^= 0x01;
                    break;
                case "TruncatedTag":
                    body = body[..^1];
                    break;
                case "WrongEncryptionKey":
                    receiver = Vectors.Cipher(ekHex: "0F0E0D0C0B0A09080706050403020100");
                    break;
                default:
                    Assert.Fail(defect);
                    break;
            }

            try
            {
                DlmsSecurityException ex = Assert.ThrowsExactly<DlmsSecurityException>(
                    () => receiver.Unprotect(body, sender, out _, out _), $"{defect} with {sc}");
                Assert.AreEqual(SecurityFailure.AuthenticationFailed, ex.Failure, $"{defect} with {sc}");
            }
            finally
            {
                if (!ReferenceEquals(receiver, cipher))
                {
                    receiver.Dispose();
                }
            }
        }
    }

    [TestMethod]
    [DataRow("0001234567C0010000080000010000FF0200", DisplayName = "NoProtection")]
    [DataRow("3101234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B", DisplayName = "Suite1")]
    [DataRow("3201234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B", DisplayName = "Suite2")]
    [DataRow("B001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B", DisplayName = "Compressed")]
    [DataRow("7001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B", DisplayName = "BroadcastKey")]
    [DataRow("4001234567", DisplayName = "BroadcastBitOnly")]
    public void Unprotect_UnsupportedSc_ThrowsUnsupportedProtection(string body)
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        DlmsSecurityException ex = Assert.ThrowsExactly<DlmsSecurityException>(
            () => cipher.Unprotect(Vectors.Hex(body), Vectors.SenderTitle, out _, out _));
        Assert.AreEqual(SecurityFailure.UnsupportedProtection, ex.Failure);
    }

    [TestMethod]
    [DataRow("", DisplayName = "Empty")]
    [DataRow("30", DisplayName = "ScOnly")]
    [DataRow("30012345", DisplayName = "ShortIc")]
    [DataRow("3001234567", DisplayName = "NoTag")]
    [DataRow("300123456700112233445566778899AA", DisplayName = "ElevenByteTag")]
    [DataRow("1001234567", DisplayName = "AuthOnlyNoTag")]
    [DataRow("20012345", DisplayName = "EncOnlyShortIc")]
    public void Unprotect_TooShort_ThrowsProtocolException(string body)
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        Assert.ThrowsExactly<DlmsProtocolException>(() => cipher.Unprotect(Vectors.Hex(body), Vectors.SenderTitle, out _, out _));
    }

    [TestMethod]
    public void Unprotect_EveryPrefixOfAuthenticatedBodies_ThrowsWireOrSecurityException()
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        foreach (string hex in new[] { "3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B", "1001234567C0010000080000010000FF020006725D910F9221D263877516" })
        {
            byte[] body = Vectors.Hex(hex);
            for (int length = 0; length < body.Length; length++)
            {
                try
                {
                    cipher.Unprotect(body.AsSpan(0, length), Vectors.SenderTitle, out _, out _);
                    Assert.Fail($"prefix {length} of {hex} was accepted");
                }
                catch (DlmsProtocolException) when (length < Suite0Cipher.HeaderLength + Suite0Cipher.TagLength)
                {
                }
                catch (DlmsSecurityException ex) when (ex.Failure == SecurityFailure.AuthenticationFailed)
                {
                }
            }
        }
    }

    [TestMethod]
    [DataRow((byte)0x00)]
    [DataRow((byte)0x31)]
    [DataRow((byte)0xB0)]
    [DataRow((byte)0x70)]
    public void Protect_UnsupportedSc_ThrowsArgumentException(byte sc)
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        Assert.ThrowsExactly<ArgumentException>(() => cipher.Protect(new SecurityControl(sc), Vectors.SenderTitle, 1, [0xC0]));
    }

    [TestMethod]
    public void RoundTrip_SeededRandomApdus_AllModes()
    {
        var random = new Random(3394);
        using Suite0Cipher cipher = Vectors.Cipher();
        foreach (SecurityControl sc in new[] { SecurityControl.AuthenticatedEncrypted, SecurityControl.AuthenticatedOnly, SecurityControl.EncryptedOnly })
        {
            // Lengths straddle the 256-byte stack limit of the SC 0x10 AAD buffer.
            foreach (int length in new[] { 0, 1, 15, 16, 17, 238, 239, 240, 1000, 4096 })
            {
                byte[] apdu = new byte[length];
                random.NextBytes(apdu);
                var sender = new SystemTitle((ulong)random.NextInt64());
                uint ic = (uint)random.NextInt64(0, 1L << 32);
                byte[] body = cipher.Protect(sc, sender, ic, apdu);
                Assert.HasCount(Suite0Cipher.HeaderLength + length + (sc.Authenticated ? Suite0Cipher.TagLength : 0), body);
                CollectionAssert.AreEqual(apdu, cipher.Unprotect(body, sender, out SecurityControl readSc, out uint readIc));
                Assert.AreEqual(sc, readSc);
                Assert.AreEqual(ic, readIc);
            }
        }
    }

    [TestMethod]
    public void ConcurrentUse_GivesSameResultsAsSerial()
    {
        using Suite0Cipher cipher = Vectors.Cipher();
        byte[] apdu = Vectors.Hex(Vectors.GetClock);
        Parallel.For(0, 2000, i =>
        {
            byte[] body = cipher.Protect(SecurityControl.AuthenticatedEncrypted, Vectors.SenderTitle, (uint)i, apdu);
            CollectionAssert.AreEqual(apdu, cipher.Unprotect(body, Vectors.SenderTitle, out _, out uint ic));
            Assert.AreEqual((uint)i, ic);
        });
    }

    [TestMethod]
    public void Dispose_FurtherUseThrowsObjectDisposed()
    {
        Suite0Cipher cipher = Vectors.Cipher();
        cipher.Dispose();
        cipher.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(
            () => cipher.Protect(SecurityControl.AuthenticatedEncrypted, Vectors.SenderTitle, 1, [0xC0]));
        Assert.ThrowsExactly<ObjectDisposedException>(
            () => cipher.Unprotect(Vectors.Hex("3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B"), Vectors.SenderTitle, out _, out _));
    }

    [TestMethod]
    public void Constructor_CopiesKeys_CallerMayDisposeThem()
    {
        SecretKey ek = SecretKey.FromHex(Vectors.EkHex);
        SecretKey ak = SecretKey.FromHex(Vectors.AkHex);
        using var cipher = new Suite0Cipher(ek, ak);
        ek.Dispose();
        ak.Dispose();
        byte[] body = cipher.Protect(SecurityControl.AuthenticatedEncrypted, Vectors.SenderTitle, Vectors.Ic, Vectors.Hex(Vectors.GetClock));
        Assert.AreEqual("3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B", Convert.ToHexString(body));
    }

    [TestMethod]
    [DataRow(24, 16)]
    [DataRow(32, 16)]
    [DataRow(16, 32)]
    public void Constructor_NotAes128_ThrowsArgumentException(int ekLength, int akLength)
    {
        using SecretKey ek = SecretKey.Generate(ekLength);
        using SecretKey ak = SecretKey.Generate(akLength);
        Assert.ThrowsExactly<ArgumentException>(() => new Suite0Cipher(ek, ak));
    }
}
