namespace Smets1Sim.Tests.Shared;

/// <summary>Byte-level mutations, including the A-XDR length forms most likely to trip a decoder.</summary>
/// <remarks>
/// The one mutator of the test projects (linked into each): every decoder's and the server session's seeded
/// mutation tests use it.
/// </remarks>
internal static class Mutator
{
    private static readonly byte[][] Lengths = [[0x7F], [0x80], [0x81, 0xFF], [0x82, 0xFF, 0xFF], [0x84, 0xFF, 0xFF, 0xFF, 0xFF], [0x84, 0x7F, 0xFF, 0xFF, 0xFF], [0x85]];
    private static readonly byte[] Interesting = [0x00, 0x01, 0x02, 0x7F, 0x80, 0x81, 0x82, 0x84, 0xFE, 0xFF];

    /// <summary>Applies one to three random mutations to a copy of <paramref name="seed"/>.</summary>
    /// <param name="seed">The valid input to start from.</param>
    /// <param name="random">The seeded source, so a failure can be reproduced.</param>
    /// <param name="headerLength">When above 0, a tenth of the mutations replace one of the first
    /// <paramref name="headerLength"/> bytes, so headers (tag, length, SC) are hit far more often than uniformly.</param>
    public static byte[] Mutate(byte[] seed, Random random, int headerLength = 0)
    {
        var bytes = new List<byte>(seed);
        int rounds = 1 + random.Next(3);
        for (int r = 0; r < rounds; r++)
        {
            int position = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(headerLength > 0 ? 10 : 9))
            {
                case 9 when bytes.Count > 0:
                    bytes[random.Next(Math.Min(bytes.Count, headerLength))] = (byte)random.Next(256);
                    break;
                case 0 when bytes.Count > 0:
                    bytes[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[position] = (byte)random.Next(256);
                    break;
                case 2 when bytes.Count > 0:
                    bytes[position] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 3:
                    bytes.Insert(position, (byte)random.Next(256));
                    break;
                case 4 when bytes.Count > 0:
                    bytes.RemoveAt(position);
                    break;
                case 5 when bytes.Count > 0:
                    // A length byte replaced by a long or hostile length form.
                    bytes.RemoveAt(position);
                    bytes.InsertRange(position, Lengths[random.Next(Lengths.Length)]);
                    break;
                case 6:
                    bytes.RemoveRange(position, bytes.Count - position);
                    break;
                case 7 when bytes.Count > 1:
                {
                    int length = 1 + random.Next(Math.Min(8, bytes.Count - position));
                    bytes.InsertRange(position, bytes.GetRange(position, length));
                    break;
                }

                default:
                    if (bytes.Count > 0)
                    {
                        bytes[position] = (byte)(bytes[position] + 1);
                    }

                    break;
            }
        }

        return [.. bytes];
    }
}
