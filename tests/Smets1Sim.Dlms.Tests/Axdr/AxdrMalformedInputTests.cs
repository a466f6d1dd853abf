using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Tests.Shared;

namespace Smets1Sim.Dlms.Tests.Axdr;

[TestClass]
public sealed class AxdrMalformedInputTests
{
    [TestMethod]
    [DataRow("Empty", "", 0, "truncated")]
    [DataRow("UnknownTag", "07", 0, "unknown data type tag 0x07")]
    [DataRow("UnknownTagInStructure", "020211FF08", 4, "unknown data type tag 0x08")]
    [DataRow("TruncatedDoubleLong", "050000", 1, "truncated")]
    [DataRow("OctetStringLengthOverflow", "0905AABB", 1, "declares 5 bytes")]
    [DataRow("OctetStringHugeLength", "0984FFFFFFFF", 1, "exceeds the limit")]
    [DataRow("BadLengthOfLength", "0985000000000001", 1, "bad length-of-length")]
    [DataRow("IndefiniteLength", "0980", 1, "bad length-of-length")]
    [DataRow("ArrayCountOverflow", "0105 1100", 1, "declares 5 bytes")]
    [DataRow("ArrayHugeCount", "0184FFFFFFFF", 1, "exceeds the limit")]
    [DataRow("BitStringOverflow", "041101", 1, "truncated: bit-string of 17 bits")]
    [DataRow("InvalidUtf8", "0C02C328", 1, "not valid UTF-8")]
    [DataRow("TrailingBytes", "110100", 2, "trailing")]
    [DataRow("TruncatedDateTime", "1907EA0B17", 1, "truncated")]
    [DataRow("CompactArrayOfNulls", "1300 03 000000", 2, "zero bytes")]
    [DataRow("CompactArrayNested", "131312 00", 1, "cannot describe compact-array")]
    [DataRow("CompactArrayPartialElement", "1312 03 000100", 5, "truncated")]
    [DataRow("CompactArrayUnknownType", "1307 00", 1, "unknown data type tag 0x07 in type description")]
    public void Decode_NamedDefect_ThrowsAtOffset(string name, string hex, int offset, string reasonFragment)
    {
        byte[] input = Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
        DlmsProtocolException ex = Assert.ThrowsExactly<DlmsProtocolException>(() => AxdrDecoder.Decode(input), name);
        StringAssert.Contains(ex.Reason, reasonFragment, name);
        Assert.AreEqual(offset, ex.Offset, $"{name}: {ex.Message}");
    }

    [TestMethod]
    public void Decode_NestingTooDeep_ThrowsWithoutStackOverflow()
    {
        // 100,000 nested one-element arrays: a recursive decoder without a depth limit would overflow the stack.
        byte[] input = new byte[200_001];
        for (int i = 0; i < 200_000; i += 2)
        {
            input[i] = 0x01;
            input[i + 1] = 0x01;
        }

        DlmsProtocolException ex = Assert.ThrowsExactly<DlmsProtocolException>(() => AxdrDecoder.Decode(input));
        StringAssert.Contains(ex.Reason, "nesting deeper than 16");
        Assert.AreEqual(32, ex.Offset);
    }

    [TestMethod]
    public void Decode_ConfiguredDepth_AllowsExactlyThatDepth()
    {
        var limits = new AxdrLimits { MaxDepth = 2 };
        AxdrDecoder.Decode(Convert.FromHexString("0101010100"), limits);
        Assert.ThrowsExactly<DlmsProtocolException>(() => AxdrDecoder.Decode(Convert.FromHexString("01010101010100"), limits));
    }

    [TestMethod]
    public void Decode_TooManyValues_Throws()
    {
        var limits = new AxdrLimits { MaxValues = 10 };
        byte[] input = [0x01, 0x0A, .. Enumerable.Repeat((byte)0x00, 10)];
        DlmsProtocolException ex = Assert.ThrowsExactly<DlmsProtocolException>(() => AxdrDecoder.Decode(input, limits));
        StringAssert.Contains(ex.Reason, "more than 10 values");
    }

    [TestMethod]
    public void Decode_StringLongerThanLimit_ThrowsBeforeReading()
    {
        var limits = new AxdrLimits { MaxStringLength = 4 };
        DlmsProtocolException ex = Assert.ThrowsExactly<DlmsProtocolException>(() => AxdrDecoder.Decode(Convert.FromHexString("09050102030405"), limits));
        StringAssert.Contains(ex.Reason, "exceeds the limit 4");
    }

    [TestMethod]
    public void Decode_CompactArrayWithHugeArrayDescription_IsBoundedByValueBudget()
    {
        // array[65535] of array[65535] of null would be 4 billion values from 8 bytes of input.
        byte[] input = Convert.FromHexString("1301FFFF01FFFF0001 00".Replace(" ", string.Empty, StringComparison.Ordinal));
        input[^2] = 0x01;
        input[^1] = 0x00;
        Assert.ThrowsExactly<DlmsProtocolException>(() => AxdrDecoder.Decode(input));
    }

    [TestMethod]
    public void Decode_SeededMutations_OnlyProtocolExceptionEscapes()
    {
        byte[][] seeds = [.. AxdrCodecTests.GoldenVectors().Select(v => Convert.FromHexString((string)v[0]))];
        var random = new Random(7);
        var limits = new AxdrLimits { MaxDepth = 8, MaxValues = 4096 };
        for (int i = 0; i < 40_000; i++)
        {
            byte[] input = Mutator.Mutate(seeds[random.Next(seeds.Length)], random);
            try
            {
                AxdrDecoder.Decode(input, limits);
            }
            catch (DlmsProtocolException)
            {
            }
            catch (Exception ex)
            {
                Assert.Fail($"{ex.GetType().Name} escaped for {Convert.ToHexString(input)}: {ex.Message}");
            }
        }
    }
}
