using Smets1Sim.Dlms.Security;

namespace Smets1Sim.Dlms.Tests.Security;

[TestClass]
public sealed class SecurityControlTests
{
    [TestMethod]
    [DataRow((byte)0x30, 0, true, true, false, false)]
    [DataRow((byte)0x10, 0, true, false, false, false)]
    [DataRow((byte)0x20, 0, false, true, false, false)]
    [DataRow((byte)0x00, 0, false, false, false, false)]
    [DataRow((byte)0x31, 1, true, true, false, false)]
    [DataRow((byte)0x72, 2, true, true, true, false)]
    [DataRow((byte)0xBF, 15, true, true, false, true)]
    public void Bits_DecodeEachFlag(byte value, int suite, bool authenticated, bool encrypted, bool broadcast, bool compressed)
    {
        var sc = new SecurityControl(value);
        Assert.AreEqual(suite, sc.SuiteId);
        Assert.AreEqual(authenticated, sc.Authenticated);
        Assert.AreEqual(encrypted, sc.Encrypted);
        Assert.AreEqual(broadcast, sc.BroadcastKey);
        Assert.AreEqual(compressed, sc.Compressed);
    }

    [TestMethod]
    public void NamedValues_MatchTheWire()
    {
        Assert.AreEqual((byte)0x30, SecurityControl.AuthenticatedEncrypted.Value);
        Assert.AreEqual((byte)0x10, SecurityControl.AuthenticatedOnly.Value);
        Assert.AreEqual((byte)0x20, SecurityControl.EncryptedOnly.Value);
        Assert.AreEqual("SC 0x30 (suite 0, authenticated, encrypted)", SecurityControl.AuthenticatedEncrypted.ToString());
    }
}
