using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;
using Smets1Sim.Tests.Shared;

namespace Smets1Sim.Dlms.Tests.Xdlms;

/// <summary>
/// Seeded mutation of valid encodings: whatever the bytes, the decoders may only succeed or throw
/// <see cref="DlmsProtocolException"/>. Anything they accept must re-encode to something that decodes to the
/// same value (the decoded model is always encodable).
/// </summary>
[TestClass]
public sealed class XdlmsMutationTests
{
    private const int Seed = 0x5E7_5151;

    [TestMethod]
    public void Decode_ThirtyThousandMutatedApdus_OnlyProtocolExceptionsEscape()
    {
        IReadOnlyList<byte[]> seeds = XdlmsVectors.AllEncodings();
        var random = new Random(Seed);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 30_000; i++)
        {
            byte[] input = Mutator.Mutate(seeds[random.Next(seeds.Count)], random);
            XdlmsApdu apdu;
            try
            {
                apdu = XdlmsApduCodec.Decode(input);
            }
            catch (DlmsProtocolException ex)
            {
                Assert.IsTrue(ex.Offset >= 0 && ex.Offset <= input.Length, $"offset {ex.Offset} outside {Convert.ToHexString(input)}");
                rejected++;
                continue;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{ex.GetType().Name} escaped for {Convert.ToHexString(input)}: {ex}");
                throw;
            }

            byte[] reencoded = apdu.ToArray();
            XdlmsApdu again = XdlmsApduCodec.Decode(reencoded);
            Assert.AreEqual(apdu, again, Convert.ToHexString(input));
            CollectionAssert.AreEqual(reencoded, again.ToArray(), Convert.ToHexString(input));
            accepted++;
        }

        // Both outcomes must be well represented, or the mutations are too tame or too wild to mean much.
        Assert.IsGreaterThan(1_000, accepted);
        Assert.IsGreaterThan(10_000, rejected);
    }

    [TestMethod]
    public void AxdrDecode_TenThousandMutatedValues_OnlyProtocolExceptionsEscape()
    {
        IReadOnlyList<byte[]> seeds = AxdrSeeds();
        var random = new Random(Seed + 1);
        int accepted = 0;
        for (int i = 0; i < 10_000; i++)
        {
            byte[] input = Mutator.Mutate(seeds[random.Next(seeds.Count)], random);
            DlmsValue value;
            try
            {
                value = AxdrDecoder.Decode(input);
            }
            catch (DlmsProtocolException ex)
            {
                Assert.IsTrue(ex.Offset >= 0 && ex.Offset <= input.Length, $"offset {ex.Offset} outside {Convert.ToHexString(input)}");
                continue;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{ex.GetType().Name} escaped for {Convert.ToHexString(input)}: {ex}");
                throw;
            }

            Assert.AreEqual(value, AxdrDecoder.Decode(value.ToArray()), Convert.ToHexString(input));
            accepted++;
        }

        Assert.IsGreaterThan(500, accepted);
    }

    [TestMethod]
    [DataRow("0101", "nesting deeper")]
    [DataRow("0201", "nesting deeper")]
    [DataRow("018101", "nesting deeper")]
    public void AxdrDecode_TenThousandNestedHeaders_FailsWithNestingError(string header, string reasonFragment)
    {
        byte[] unit = Convert.FromHexString(header);
        byte[] input = [.. Enumerable.Repeat(unit, 10_000).SelectMany(b => b)];
        var ex = Assert.ThrowsExactly<DlmsProtocolException>(() => AxdrDecoder.Decode(input));
        Assert.Contains(reasonFragment, ex.Reason);
    }

    [TestMethod]
    [DataRow("13", "010001", "type description nested deeper")]
    [DataRow("13", "0201", "type description nested deeper")]
    public void AxdrDecode_DeeplyNestedCompactArrayDescription_FailsWithNestingError(string prefix, string unitHex, string reasonFragment)
    {
        byte[] unit = Convert.FromHexString(unitHex);
        byte[] input = [.. Convert.FromHexString(prefix), .. Enumerable.Repeat(unit, 10_000).SelectMany(b => b)];
        var ex = Assert.ThrowsExactly<DlmsProtocolException>(() => AxdrDecoder.Decode(input));
        Assert.Contains(reasonFragment, ex.Reason);
    }

    [TestMethod]
    public void AxdrDecode_MutatedNestedValuesWithTightLimits_OnlyProtocolExceptionsEscape()
    {
        var limits = new AxdrLimits { MaxDepth = 3, MaxValues = 40, MaxStringLength = 8 };
        IReadOnlyList<byte[]> seeds = AxdrSeeds();
        var random = new Random(Seed + 2);
        for (int i = 0; i < 3_000; i++)
        {
            byte[] input = Mutator.Mutate(seeds[random.Next(seeds.Count)], random);
            try
            {
                AxdrDecoder.Decode(input, limits);
            }
            catch (DlmsProtocolException)
            {
            }
        }
    }

    private static List<byte[]> AxdrSeeds()
    {
        List<byte[]> seeds = [];
        foreach (XdlmsApdu apdu in XdlmsVectors.Programmatic())
        {
            switch (apdu)
            {
                case GetResponseNormal { Result.Data: { } data }:
                    seeds.Add(data.ToArray());
                    break;
                case DataNotification n:
                    seeds.Add(n.Body.ToArray());
                    break;
            }
        }

        seeds.Add(Convert.FromHexString("0101020216000918" + Convert.ToHexString(XdlmsVectors.WrappedKey)));
        seeds.Add(Convert.FromHexString("1302021200030300060001000100020001"));
        seeds.Add(Convert.FromHexString("130100020600000008000000010000000200"));
        seeds.Add(Convert.FromHexString("040C" + "A5F0"));
        seeds.Add(Convert.FromHexString("0A03616263"));
        seeds.Add(Convert.FromHexString("0C04C3A4C3B6"));
        seeds.Add(Convert.FromHexString("19" + XdlmsVectors.SampleTimeHex));
        seeds.Add(Convert.FromHexString("1A07E9010F03"));
        seeds.Add(Convert.FromHexString("1B0C1E0000"));
        seeds.Add(Convert.FromHexString("17 3FC00000".Replace(" ", string.Empty, StringComparison.Ordinal)));
        seeds.Add(Convert.FromHexString("020301020304050000000A000DFF"));
        return seeds;
    }
}
