using System.Diagnostics.CodeAnalysis;
using System.Text;
using Smets1Sim.Tests.Shared;
using static Smets1Sim.Dlms.Tests.Acse.AcseVectors;

namespace Smets1Sim.Dlms.Tests.Acse;

/// <summary>Every decoder in the ACSE scope either succeeds or throws <see cref="DlmsProtocolException"/>, whatever the bytes.</summary>
[TestClass]
public sealed class DecoderRobustnessTests
{
    private const int Seed = 0x5EC5_0001;
    private const int Mutations = 20_000;

    public static IEnumerable<object[]> ValidEncodings => Valid.Select(v => new object[] { v.Decoder, v.Hex });

    [TestMethod]
    [DynamicData(nameof(ValidEncodings))]
    public void Decode_ValidEncoding_RoundTripsExactly(string decoder, string hex)
    {
        Assert.AreEqual(hex, Convert.ToHexString(Encode(Decode(decoder, Bytes(hex)))));
    }

    [TestMethod]
    [DynamicData(nameof(ValidEncodings))]
    public void Decode_EveryStrictPrefix_ThrowsProtocolException(string decoder, string hex)
    {
        byte[] input = Bytes(hex);
        for (int length = 0; length < input.Length; length++)
        {
            byte[] prefix = input[..length];
            DlmsProtocolException ex = Assert.ThrowsExactly<DlmsProtocolException>(
                () => Decode(decoder, prefix), $"{decoder} prefix of {length} bytes: {Convert.ToHexString(prefix)}");
            Assert.IsTrue(ex.Offset >= 0 && ex.Offset <= length, $"{decoder} prefix {length}: offset {ex.Offset} outside the input");
        }
    }

    [TestMethod]
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Any other exception type is the failure this test reports.")]
    public void Decode_SeededMutations_OnlyProtocolExceptionsEscape()
    {
        var random = new Random(Seed);
        byte[][] corpus = [.. Valid.Select(v => Bytes(v.Hex))];
        var failures = new StringBuilder();
        int accepted = 0;

        for (int i = 0; i < Mutations; i++)
        {
            byte[] input = corpus[random.Next(corpus.Length)];
            int rounds = random.Next(4) == 0 ? random.Next(2, 5) : 1;
            for (int r = 0; r < rounds; r++)
            {
                input = Mutator.Mutate(input, random);
            }

            foreach ((string name, Func<byte[], object> decode) in Decoders)
            {
                object decoded;
                try
                {
                    decoded = decode(input);
                }
                catch (DlmsProtocolException ex)
                {
                    if (ex.Offset < 0 || ex.Offset > input.Length)
                    {
                        failures.AppendLine($"{name} {Convert.ToHexString(input)}: offset {ex.Offset} outside the input");
                    }

                    continue;
                }
                catch (Exception ex)
                {
                    failures.AppendLine($"{name} {Convert.ToHexString(input)}: {ex.GetType().Name} {ex.Message}");
                    continue;
                }

                accepted++;

                // What was accepted must re-encode to something that decodes to the same encoding again.
                try
                {
                    byte[] once = Encode(decoded);
                    byte[] twice = Encode(decode(once));
                    if (!once.AsSpan().SequenceEqual(twice))
                    {
                        failures.AppendLine($"{name} {Convert.ToHexString(input)}: re-encoding is not stable");
                    }
                }
                catch (Exception ex)
                {
                    failures.AppendLine($"{name} {Convert.ToHexString(input)}: re-encoding threw {ex.GetType().Name} {ex.Message}");
                }
            }

            if (failures.Length > 4000)
            {
                break;
            }
        }

        Assert.AreEqual(string.Empty, failures.ToString());
        Assert.IsGreaterThan(0, accepted, "some mutations (e.g. of value bytes) must still decode");
    }
}
