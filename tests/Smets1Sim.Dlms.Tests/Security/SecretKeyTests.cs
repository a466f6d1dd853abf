using Smets1Sim.Dlms.Security;

namespace Smets1Sim.Dlms.Tests.Security;

[TestClass]
public sealed class SecretKeyTests
{
    [TestMethod]
    [DataRow("000102030405060708090A0B0C0D0E0F")]
    [DataRow("000102030405060708090a0b0c0d0e0f1011121314151617")]
    [DataRow("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F")]
    public void FromHex_ExportHex_RoundTrips(string hex)
    {
        using SecretKey key = SecretKey.FromHex(hex);
        Assert.AreEqual(hex.Length / 2, key.Length);
        Assert.AreEqual(hex.ToUpperInvariant(), key.ExportHex());
        CollectionAssert.AreEqual(Convert.FromHexString(hex), key.Span.ToArray());
    }

    [TestMethod]
    public void ToString_NeverRevealsTheKey()
    {
        using SecretKey key = SecretKey.FromHex(Vectors.AkHex);
        string text = key.ToString();
        Assert.AreEqual("SecretKey(16 bytes)", text);
        Assert.DoesNotContain("D0D1", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DEDF", $"{key}", StringComparison.OrdinalIgnoreCase);
    }

    [TestMethod]
    public void Dispose_SpanThrowsAndToStringSaysDisposed()
    {
        SecretKey key = SecretKey.FromHex(Vectors.EkHex);
        key.Dispose();
        Assert.IsTrue(key.IsDisposed);
        Assert.ThrowsExactly<ObjectDisposedException>(() => key.Span.ToArray());
        Assert.ThrowsExactly<ObjectDisposedException>(() => key.ExportHex());
        Assert.AreEqual("SecretKey(disposed)", key.ToString());
        key.Dispose();
    }

    [TestMethod]
    public void FromBytes_CopiesTheInput()
    {
        byte[] source = Convert.FromHexString(Vectors.EkHex);
        using SecretKey key = SecretKey.FromBytes(source);
        source.AsSpan().Clear();
        Assert.AreEqual(Vectors.EkHex, key.ExportHex());
    }

    [TestMethod]
    public void KeyEquals_ComparesBytes()
    {
        using SecretKey a = SecretKey.FromHex(Vectors.EkHex);
        using SecretKey b = SecretKey.FromHex(Vectors.EkHex);
        using SecretKey c = SecretKey.FromHex(Vectors.AkHex);
        using SecretKey d = SecretKey.Generate(32);
        using SecretKey copy = a.Copy();
        Assert.IsTrue(a.KeyEquals(b));
        Assert.IsTrue(a.KeyEquals(copy));
        Assert.IsFalse(a.KeyEquals(c));
        Assert.IsFalse(a.KeyEquals(d));
    }

    [TestMethod]
    [DataRow(16)]
    [DataRow(24)]
    [DataRow(32)]
    public void Generate_GivesFreshKeysOfTheLength(int length)
    {
        using SecretKey a = SecretKey.Generate(length);
        using SecretKey b = SecretKey.Generate(length);
        Assert.AreEqual(length, a.Length);
        Assert.IsFalse(a.KeyEquals(b));
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(8)]
    [DataRow(15)]
    [DataRow(17)]
    [DataRow(64)]
    public void WrongLength_ThrowsArgumentException(int length)
    {
        Assert.ThrowsExactly<ArgumentException>(() => SecretKey.Generate(length));
        Assert.ThrowsExactly<ArgumentException>(() => SecretKey.FromBytes(new byte[length]));
        Assert.ThrowsExactly<ArgumentException>(() => SecretKey.FromHex(new string('A', 2 * length)));
    }

    [TestMethod]
    [DataRow("000102030405060708090A0B0C0D0E0G")]
    [DataRow("000102030405060708090A0B0C0D0E0")]
    [DataRow("00010203040506070809 0A0B0C0D0E0F")]
    public void FromHex_NotHex_ThrowsWithoutEchoingInput(string text)
    {
        Exception ex = Vectors.Catch<Exception>(() => SecretKey.FromHex(text));
        Assert.IsInstanceOfType<FormatException>(ex);
        Assert.DoesNotContain("0A0B0C", ex.Message, StringComparison.OrdinalIgnoreCase);
    }
}
