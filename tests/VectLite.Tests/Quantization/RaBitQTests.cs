using System.Buffers.Binary;
using VectLite.Quantization;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Quantization;

/// <summary>
/// RaBitQ: the rotation, the codes against values computed here from the rotation in double precision, the estimator's
/// bias and error at 384 dimensions, its advantage over plain binary where the variance sits in few dimensions, the
/// codes and rotation across a reopen, a damaged rotation header, and bad settings.
/// </summary>
public sealed class RaBitQTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static double[] Gaussian(Random random, int dimension, Func<int, double> sd) =>
        [.. Enumerable.Range(0, dimension).Select(d => sd(d) * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))];

    /// <summary>The rotation applied in double precision: row i of the matrix dotted with the vector.</summary>
    private static double[] Rotate(RaBitQRotation rotation, double[] vector) =>
        [.. Enumerable.Range(0, rotation.PaddedDimension).Select(i => Enumerable.Range(0, rotation.Dimension).Sum(j => (double)rotation.Matrix[(i * rotation.Dimension) + j] * vector[j]))];

    /// <summary>
    /// The estimate of <c>(x - mean) . u</c> a binary-form code gives, computed here from its bytes: scale times (twice
    /// the sum of <paramref name="bitSpace"/> over set bits minus its total). <paramref name="bitSpace"/> is u for binary
    /// and R u for RaBitQ.
    /// </summary>
    private static double Estimate(byte[] code, int bitBytes, double[] bitSpace)
    {
        double set = 0;
        for (int i = 0; i < bitSpace.Length; i++)
        {
            if ((code[i >> 3] & (1 << (i & 7))) != 0)
            {
                set += bitSpace[i];
            }
        }
        return BitConverter.ToSingle(code, bitBytes) * ((2 * set) - bitSpace.Sum());
    }

    private static VectorCodec Codec(QuantizationKind kind, double[][] data)
    {
        int dimension = data[0].Length;
        float[] mean = [.. Enumerable.Range(0, dimension).Select(d => (float)data.Average(v => v[d]))];
        float[] min = [.. Enumerable.Range(0, dimension).Select(d => (float)data.Min(v => v[d]))];
        float[] max = [.. Enumerable.Range(0, dimension).Select(d => (float)data.Max(v => v[d]))];
        return new VectorCodec(kind, Metric.L2, min, max, mean, rotation: kind == QuantizationKind.RaBitQ ? RaBitQRotation.Create(dimension) : null);
    }

    private static byte[] Encode(VectorCodec codec, double[] vector)
    {
        var code = new byte[codec.CodeBytes];
        codec.Encode(vector.Select(x => (float)x).ToArray(), code, new float[vector.Length]);
        return code;
    }

    [Theory]
    [InlineData(40, 64)]
    [InlineData(64, 64)]
    [InlineData(384, 384)]
    public void The_rotation_has_orthonormal_columns_of_the_padded_dimension_and_is_reproducible(int dimension, int padded)
    {
        RaBitQRotation rotation = RaBitQRotation.Create(dimension);
        Assert.Equal(padded, rotation.PaddedDimension);
        var step = Math.Max(1, dimension / 40); // a sample of column pairs at 384-d keeps the test fast
        for (int a = 0; a < dimension; a += step)
        {
            for (int b = a; b < dimension; b += step)
            {
                double dot = 0;
                for (int i = 0; i < padded; i++)
                {
                    dot += (double)rotation.Matrix[(i * dimension) + a] * rotation.Matrix[(i * dimension) + b];
                }
                Assert.True(Math.Abs(dot - (a == b ? 1 : 0)) < 1e-5, $"columns {a} and {b}: dot {dot}");
            }
        }
        Assert.Equal(rotation.Matrix, RaBitQRotation.Create(dimension).Matrix);
        Assert.NotEqual(rotation.Matrix, RaBitQRotation.Create(dimension, seed: 1).Matrix);
    }

    [Fact]
    public void A_code_holds_the_signs_of_the_rotated_residual_then_its_scale_and_squared_norm()
    {
        var random = new Random(3);
        double[][] data = [.. Enumerable.Range(0, 200).Select(_ => Gaussian(random, 40, d => 1 + d))];
        VectorCodec codec = Codec(QuantizationKind.RaBitQ, data);
        Assert.Equal(8 + 8, codec.CodeBytes); // 40 dimensions pad to one 64-bit word, then two floats
        double[] x = data[17];
        byte[] code = Encode(codec, x);

        double[] residual = [.. x.Select((v, d) => v - codec.Mean[d])];
        double[] rotated = Rotate(codec.Rotation!, residual);
        ulong expectedBits = 0;
        for (int i = 0; i < 64; i++)
        {
            expectedBits |= rotated[i] > 0 ? 1UL << i : 0;
        }
        Assert.Equal(expectedBits, BitConverter.ToUInt64(code, 0));
        double squares = residual.Sum(v => v * v);
        double scale = squares / rotated.Sum(Math.Abs);
        Assert.Equal(scale, BitConverter.ToSingle(code, 8), 1e-4 * scale);
        Assert.Equal(squares, BitConverter.ToSingle(code, 12), 1e-4 * squares);
    }

    [Fact]
    public void The_estimator_is_unbiased_and_within_its_expected_error_at_384_dimensions()
    {
        // RaBitQ's estimate of o . u has a standard deviation of about 0.75 / sqrt(D - 1), 0.038 at 384-d (Gao and Long);
        // it is unbiased: regressed on the exact value over many pairs, the slope is 1 (a wrong scale, such as binary's
        // mean absolute value, would shrink every estimate by about 2 / pi). Data with most of its variance in a few
        // dimensions, as embeddings.
        const int dimension = 384;
        var random = new Random(5);
        double[][] data = [.. Enumerable.Range(0, 400).Select(_ => Gaussian(random, dimension, d => 4.0 / (1 + (d / 8.0))))];
        VectorCodec codec = Codec(QuantizationKind.RaBitQ, data);
        double bias = 0, squaredError = 0, crossed = 0, exactSquares = 0;
        int pairs = 0;
        foreach (double[] x in data)
        {
            byte[] code = Encode(codec, x);
            double[] residual = [.. x.Select((v, d) => v - codec.Mean[d])];
            double[] u = Gaussian(random, dimension, _ => 1);
            double exact = residual.Zip(u, (a, b) => a * b).Sum();
            double estimate = Estimate(code, codec.BitBytes, Rotate(codec.Rotation!, u));
            double norms = Math.Sqrt(residual.Sum(v => v * v) * u.Sum(v => v * v));
            bias += (estimate - exact) / norms;
            crossed += estimate * exact / (norms * norms);
            exactSquares += exact * exact / (norms * norms);
            squaredError += Math.Pow((estimate - exact) / norms, 2);
            pairs++;
        }
        double meanError = bias / pairs, rms = Math.Sqrt(squaredError / pairs), slope = crossed / exactSquares;
        Assert.True(Math.Abs(slope - 1) < 0.08, $"slope of the estimate on the exact value {slope:0.000} (the estimator should be unbiased)");
        Assert.True(Math.Abs(meanError) < 0.008, $"mean error {meanError:0.0000} (the estimator should be unbiased)");
        Assert.True(rms < 0.055, $"rms error {rms:0.0000} (expected about 0.038)");
    }

    [Fact]
    public void Where_the_variance_sits_in_few_dimensions_the_codes_alone_rank_better_than_plain_binary()
    {
        // Either half of RaBitQ alone (the rotation with binary's scale, or the unbiased scale without the rotation) already
        // lifts recall here; the test guards that the kind is more than plain binary. The rotation itself is guarded by
        // the estimator test above (without it the 384-d estimate is biased on this kind of data).
        // Brute force over the codes, no graph: the top 10 by code score against the exact top 10 by L2.
        const int dimension = 64;
        var random = new Random(7);
        double[][] data = [.. Enumerable.Range(0, 2000).Select(_ => Gaussian(random, dimension, d => Math.Exp(-d / 10.0)))];
        double[][] queries = [.. Enumerable.Range(0, 50).Select(_ => Gaussian(random, dimension, d => Math.Exp(-d / 10.0)))];
        double CodeRecall(QuantizationKind kind)
        {
            VectorCodec codec = Codec(kind, data);
            byte[][] codes = [.. data.Select(x => Encode(codec, x))];
            int found = 0;
            foreach (double[] q in queries)
            {
                double[] u = [.. q.Select((v, d) => v - codec.Mean[d])];
                double[] bitSpace = kind == QuantizationKind.RaBitQ ? Rotate(codec.Rotation!, u) : u;
                // 2 u.(x - c) - |x - c|^2 = |q - c|^2 - |q - x|^2: the L2 order.
                var byCode = Enumerable.Range(0, data.Length)
                    .OrderByDescending(i => (2 * Estimate(codes[i], codec.BitBytes, bitSpace)) - BitConverter.ToSingle(codes[i], codec.BitBytes + 4)).Take(10);
                var exact = Enumerable.Range(0, data.Length).OrderBy(i => data[i].Zip(q, (a, b) => (a - b) * (a - b)).Sum()).Take(10).ToHashSet();
                found += byCode.Count(exact.Contains);
            }
            return found / (10.0 * queries.Length);
        }
        double rabitq = CodeRecall(QuantizationKind.RaBitQ), binary = CodeRecall(QuantizationKind.Binary);
        Assert.True(rabitq > binary + 0.1, $"RaBitQ code-only recall@10 {rabitq:0.000} vs binary {binary:0.000}");
    }

    private static float[][] Vectors(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Gaussian(random, dimension, d => 1 + (d % 5)).Select(x => (float)x).ToArray())];
    }

    private static CollectionSchema Schema(int dimension) =>
        new CollectionSchema().AddVector("v", dimension, Metric.L2, QuantizationOptions.RaBitQ).WithHnsw(new HnswOptions { MinIndexedVectors = 1, MaxInsertThreads = 1 });

    [Fact]
    public void A_reopen_loads_the_rotation_and_codes_and_searches_the_same()
    {
        float[][] vectors = Vectors(1500, 40, seed: 11);
        float[] rotationBefore;
        ulong[] before;
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("c", Schema(40));
            c.UpsertMany(vectors.Select((v, i) => new Record(i, v)));
            c.Compact();
            rotationBefore = [.. c.Engine.StateForTests.Codes(0)!.Codec.Rotation!.Matrix];
            before = [.. c.Search(vectors[3], new SearchOptions { TopK = 10, IncludePayload = false }).Select(h => h.Id.AsNumber)];
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("c")!;
            Assert.StartsWith("RaBitQ: trained (loaded), 1500 rows encoded, 64 rotated bits each", c.GetStats().VectorIndexes[0].Quantization);
            Assert.Equal(0, c.Engine.StateForTests.TrainingsForTests);
            Assert.Equal(rotationBefore, c.Engine.StateForTests.Codes(0)!.Codec.Rotation!.Matrix);
            Assert.Equal(before, c.Search(vectors[3], new SearchOptions { TopK = 10, IncludePayload = false }).Select(h => h.Id.AsNumber));
            Assert.Equal(3UL, before[0]);
            Assert.True(c.Verify().IsIntact, string.Join("; ", c.Verify().Findings));
        }
    }

    [Fact]
    public void A_damaged_rotation_header_is_reported_and_a_reopen_retrains_from_the_vectors()
    {
        const int dimension = 40;
        float[][] vectors = Vectors(1100, dimension, seed: 12);
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("c", Schema(dimension));
            c.UpsertMany(vectors.Select((v, i) => new Record(i, v)));
            c.Compact();
        }
        string codesFile = Directory.GetFiles(_temp.CollectionDirectory("c"), "*.vlq").Single();
        using (var stream = new FileStream(codesFile, FileMode.Open, FileAccess.ReadWrite))
        {
            // Header 32 bytes, fixed fields 32, then min, max and mean (3 x 40 floats): the padded dimension, 64.
            stream.Position = 64 + (3 * dimension * sizeof(float));
            var field = new byte[4];
            stream.ReadExactly(field);
            Assert.Equal(64u, BinaryPrimitives.ReadUInt32LittleEndian(field));
            BinaryPrimitives.WriteUInt32LittleEndian(field, 128);
            stream.Position -= 4;
            stream.Write(field);
        }
        VerifyReport report = Database.Verify(_temp.Path);
        Assert.Contains(report.Findings, f => f.FilePath == codesFile && f.Severity == VerifySeverity.Damage);
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("c")!;
            Assert.StartsWith("RaBitQ: trained (trained), 1100 rows encoded, 64 rotated bits each", c.GetStats().VectorIndexes[0].Quantization);
            Assert.Equal(64, c.Engine.StateForTests.Codes(0)!.Codec.Rotation!.PaddedDimension);
            Assert.Equal(5UL, c.Search(vectors[5], new SearchOptions { TopK = 1 }).Single().Id.AsNumber);
        }
    }

    [Theory]
    [InlineData(0.5f, 0, "oversampling 0.5 is invalid")]
    [InlineData(101f, 0, "oversampling 101 is invalid")]
    [InlineData(0f, 4, "PqSubvectors 4 is set but the kind is RaBitQ")]
    public void Bad_settings_are_schema_errors_naming_them(float oversampling, int subvectors, string expected)
    {
        var ex = Assert.Throws<SchemaException>(() => new CollectionSchema().AddVector("emb", 16, Metric.Cosine,
            new QuantizationOptions { Kind = QuantizationKind.RaBitQ, Oversampling = oversampling, PqSubvectors = subvectors }));
        Assert.Contains("'emb'", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void The_kind_is_stored_by_name_and_a_different_request_names_the_difference()
    {
        using (Database db = _temp.Open())
        {
            db.CreateCollection("c", Schema(8));
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal(QuantizationKind.RaBitQ, db.GetCollection("c")!.Schema.Vectors[0].Quantization.Kind);
            var ex = Assert.Throws<SchemaException>(() => db.GetOrCreateCollection("c",
                new CollectionSchema().AddVector("v", 8, Metric.L2, QuantizationOptions.Binary).WithHnsw(new HnswOptions { MinIndexedVectors = 1, MaxInsertThreads = 1 })));
            Assert.Contains("quantization RaBitQ (stored) vs Binary (requested)", ex.Message);
        }
    }
}
