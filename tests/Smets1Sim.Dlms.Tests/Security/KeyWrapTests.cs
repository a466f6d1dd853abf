using System.Security.Cryptography;
using Smets1Sim.Dlms.Security;

namespace Smets1Sim.Dlms.Tests.Security;

[TestClass]
public sealed class KeyWrapTests
{
    private const string Kek128 = "000102030405060708090A0B0C0D0E0F";
    private const string Kek192 = "000102030405060708090A0B0C0D0E0F1011121314151617";
    private const string Kek256 = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";
    private const string Key128 = "00112233445566778899AABBCCDDEEFF";
    private const string Key192 = "00112233445566778899AABBCCDDEEFF0001020304050607";
    private const string Key256 = "00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F";

    // RFC 3394 section 4.1-4.6. docs/dlms-wire.md section 4 quotes 4.1, 4.3 and 4.6 (same bytes).
    [TestMethod]
    [DataRow(Kek128, Key128, "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5", DisplayName = "Rfc3394_4_1_Kek128_Key128")]
    [DataRow(Kek192, Key128, "96778B25AE6CA435F92B5B97C050AED2468AB8A17AD84E5D", DisplayName = "Rfc3394_4_2_Kek192_Key128")]
    [DataRow(Kek256, Key128, "64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7", DisplayName = "Rfc3394_4_3_Kek256_Key128")]
    [DataRow(Kek192, Key192, "031D33264E15D33268F24EC260743EDCE1C6C7DDEE725A936BA814915C6762D2", DisplayName = "Rfc3394_4_4_Kek192_Key192")]
    [DataRow(Kek256, Key192, "A8F9BC1612C68B3FF6E6F4FBE30E71E4769C8B80A32CB8958CD5D17D6B254DA1", DisplayName = "Rfc3394_4_5_Kek256_Key192")]
    [DataRow(Kek256, Key256, "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21", DisplayName = "Rfc3394_4_6_Kek256_Key256")]
    public void WrapAndUnwrap_RfcVectors(string kekHex, string keyHex, string wrappedHex)
    {
        byte[] kek = Vectors.Hex(kekHex);
        Assert.AreEqual(wrappedHex, Convert.ToHexString(KeyWrap.Wrap(kek, Vectors.Hex(keyHex))));
        Assert.AreEqual(keyHex, Convert.ToHexString(KeyWrap.Unwrap(kek, Vectors.Hex(wrappedHex))));

        using SecretKey kekKey = SecretKey.FromHex(kekHex);
        using SecretKey key = SecretKey.FromHex(keyHex);
        Assert.AreEqual(wrappedHex, Convert.ToHexString(KeyWrap.Wrap(kekKey, key)));
        using SecretKey unwrapped = KeyWrap.UnwrapKey(kekKey, Vectors.Hex(wrappedHex));
        Assert.IsTrue(unwrapped.KeyEquals(key));
    }

    [TestMethod]
    public void Wrap_DomainKeyTransferExample_CarriesTheRfcBytes()
    {
        // docs/dlms-wire.md section 3: key_transfer of a new EK under KEK 000102..0F, the wrapped key is the last 24 bytes.
        byte[] request = Vectors.Hex("C301C1004000002B0000FF020101010202160009181FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");
        CollectionAssert.AreEqual(KeyWrap.Wrap(Vectors.Hex(Kek128), Vectors.Hex(Key128)), request[^24..]);
    }

    [TestMethod]
    public void Wrap_IsNotDotNetsPaddedRfc5649()
    {
        using var aes = Aes.Create();
        aes.Key = Vectors.Hex(Kek128);
        byte[] padded = aes.EncryptKeyWrapPadded(Vectors.Hex(Key128));
        CollectionAssert.AreNotEqual(padded, KeyWrap.Wrap(Vectors.Hex(Kek128), Vectors.Hex(Key128)));
    }

    public static IEnumerable<object[]> UnwrapFailures =>
    [
        ["WrongKek", "0F0E0D0C0B0A09080706050403020100", "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"],
        ["KekOfOtherSize", Kek256, "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"],
        ["FlippedIntegrityBit", Kek128, "1EA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"],
        ["FlippedKeyBit", Kek128, "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE4"],
        ["SwappedSemiblocks", Kek128, "1FA68B0A8112B4479D3E862371D2CFE5AEF34BD8FB5A7B82"],
        ["AllZero", Kek128, "000000000000000000000000000000000000000000000000"],
    ];

    [TestMethod]
    [DynamicData(nameof(UnwrapFailures))]
    public void Unwrap_IntegrityFailure_ThrowsKeyUnwrapFailed(string defect, string kekHex, string wrappedHex)
    {
        DlmsSecurityException ex = Assert.ThrowsExactly<DlmsSecurityException>(
            () => KeyWrap.Unwrap(Vectors.Hex(kekHex), Vectors.Hex(wrappedHex)), defect);
        Assert.AreEqual(SecurityFailure.KeyUnwrapFailed, ex.Failure);

        using SecretKey kek = SecretKey.FromHex(kekHex);
        DlmsSecurityException keyEx = Assert.ThrowsExactly<DlmsSecurityException>(
            () => KeyWrap.UnwrapKey(kek, Vectors.Hex(wrappedHex)), defect);
        Assert.AreEqual(SecurityFailure.KeyUnwrapFailed, keyEx.Failure);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(8)]
    [DataRow(16)]
    [DataRow(23)]
    [DataRow(25)]
    [DataRow(31)]
    [DataRow(33)]
    public void Unwrap_BadLength_ThrowsProtocolException(int length)
    {
        Assert.ThrowsExactly<DlmsProtocolException>(() => KeyWrap.Unwrap(Vectors.Hex(Kek128), new byte[length]));
    }

    [TestMethod]
    [DataRow(48)]
    [DataRow(56)]
    public void UnwrapKey_NotAnAesKeyLength_ThrowsProtocolException(int length)
    {
        using SecretKey kek = SecretKey.FromHex(Kek128);
        Assert.ThrowsExactly<DlmsProtocolException>(() => KeyWrap.UnwrapKey(kek, new byte[length]));
    }

    [TestMethod]
    [DataRow(16, 0)]
    [DataRow(16, 8)]
    [DataRow(16, 15)]
    [DataRow(16, 17)]
    [DataRow(16, 20)]
    [DataRow(15, 16)]
    [DataRow(0, 16)]
    [DataRow(64, 16)]
    public void Wrap_CallerBug_ThrowsArgumentException(int kekLength, int keyLength)
    {
        Assert.ThrowsExactly<ArgumentException>(() => KeyWrap.Wrap(new byte[kekLength], new byte[keyLength]));
    }

    [TestMethod]
    public void Unwrap_BadKekLength_ThrowsArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => KeyWrap.Unwrap(new byte[20], new byte[24]));
    }

    [TestMethod]
    public void WrapUnwrap_LongKeyData_RoundTrips()
    {
        byte[] kek = Vectors.Hex(Kek256);
        byte[] data = new byte[8 * 64];
        new Random(7).NextBytes(data);
        CollectionAssert.AreEqual(data, KeyWrap.Unwrap(kek, KeyWrap.Wrap(kek, data)));
    }
}
