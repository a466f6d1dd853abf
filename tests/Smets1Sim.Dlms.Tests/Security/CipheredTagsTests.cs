using Smets1Sim.Dlms.Security;

namespace Smets1Sim.Dlms.Tests.Security;

[TestClass]
public sealed class CipheredTagsTests
{
    [TestMethod]
    [DataRow((byte)0x01, (byte)0x21, (byte)0x41, DisplayName = "InitiateRequest")]
    [DataRow((byte)0x08, (byte)0x28, (byte)0x48, DisplayName = "InitiateResponse")]
    [DataRow((byte)0x0E, (byte)0x2E, (byte)0x4E, DisplayName = "ConfirmedServiceError")]
    [DataRow((byte)0xC0, (byte)0xC8, (byte)0xD0, DisplayName = "GetRequest")]
    [DataRow((byte)0xC1, (byte)0xC9, (byte)0xD1, DisplayName = "SetRequest")]
    [DataRow((byte)0xC2, (byte)0xCA, (byte)0xD2, DisplayName = "EventNotification")]
    [DataRow((byte)0xC3, (byte)0xCB, (byte)0xD3, DisplayName = "ActionRequest")]
    [DataRow((byte)0xC4, (byte)0xCC, (byte)0xD4, DisplayName = "GetResponse")]
    [DataRow((byte)0xC5, (byte)0xCD, (byte)0xD5, DisplayName = "SetResponse")]
    [DataRow((byte)0xC7, (byte)0xCF, (byte)0xD7, DisplayName = "ActionResponse")]
    public void Mapping_BothDirections(byte plain, byte global, byte dedicated)
    {
        Assert.IsTrue(CipheredTags.TryGetGlobalTag(plain, out byte actualGlobal));
        Assert.AreEqual(global, actualGlobal);
        Assert.IsTrue(CipheredTags.TryGetDedicatedTag(plain, out byte actualDedicated));
        Assert.AreEqual(dedicated, actualDedicated);

        Assert.IsTrue(CipheredTags.TryGetPlainTag(global, out byte fromGlobal, out bool globalIsDedicated));
        Assert.AreEqual(plain, fromGlobal);
        Assert.IsFalse(globalIsDedicated);
        Assert.IsTrue(CipheredTags.TryGetPlainTag(dedicated, out byte fromDedicated, out bool dedicatedIsDedicated));
        Assert.AreEqual(plain, fromDedicated);
        Assert.IsTrue(dedicatedIsDedicated);

        Assert.IsTrue(CipheredApdu.IsCiphered(global));
        Assert.IsTrue(CipheredApdu.IsCiphered(dedicated));
        Assert.IsFalse(CipheredApdu.IsCiphered(plain));
    }

    [TestMethod]
    public void EveryOtherByte_HasNoMapping()
    {
        byte[] plain = [0x01, 0x08, 0x0E, 0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC7];
        byte[] ciphered = [0x21, 0x28, 0x2E, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCD, 0xCF, 0x41, 0x48, 0x4E, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD7];
        for (int b = 0; b < 256; b++)
        {
            byte tag = (byte)b;
            Assert.AreEqual(plain.Contains(tag), CipheredTags.TryGetGlobalTag(tag, out _), $"0x{tag:X2}");
            Assert.AreEqual(plain.Contains(tag), CipheredTags.TryGetDedicatedTag(tag, out _), $"0x{tag:X2}");
            Assert.AreEqual(ciphered.Contains(tag), CipheredTags.TryGetPlainTag(tag, out _, out _), $"0x{tag:X2}");
            Assert.AreEqual(ciphered.Contains(tag) || tag is 0xDB or 0xDC or 0xDD, CipheredApdu.IsCiphered(tag), $"0x{tag:X2}");
        }
    }

    [TestMethod]
    public void DataNotification_HasOnlyTheGeneralForm()
    {
        Assert.IsFalse(CipheredTags.TryGetGlobalTag(0x0F, out _));
        Assert.IsFalse(CipheredTags.TryGetDedicatedTag(0x0F, out _));
    }
}
