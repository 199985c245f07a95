using System.Numerics.Tensors;

namespace VectLite.Quantization;

/// <summary>
/// RaBitQ's random rotation (Gao and Long, SIGMOD 2024): the first <see cref="Dimension"/> columns of a random
/// orthogonal matrix of <see cref="PaddedDimension"/> (the dimension rounded up to a multiple of 64), so a vector padded
/// with zeros is rotated into a space whose every coordinate carries about the same share of its length. One sign bit
/// per rotated coordinate then loses the same information whatever the data's axes look like, which is what makes the
/// estimator unbiased (plain binary codes lose most on the dimensions with the most variance).
/// </summary>
/// <remarks>
/// The matrix is drawn from a seeded generator (Gaussian entries, then Gram-Schmidt, twice for orthogonality in
/// float32), so training is reproducible; it is persisted with the codes rather than regenerated on open, so a reopen
/// never depends on the generator or the floating-point order staying the same.
/// </remarks>
internal sealed class RaBitQRotation
{
    /// <summary>The seed of the matrix: fixed, so the same data trains the same codes (tests and benchmarks repeat).</summary>
    internal const int Seed = 0x5EB17;

    /// <param name="dimension">The vector's dimension.</param>
    /// <param name="matrix">Row-major, <see cref="PaddedDimension"/> rows of <paramref name="dimension"/> values.</param>
    /// <exception cref="ArgumentException">The matrix is not <c>PaddedDimension(dimension) x dimension</c>.</exception>
    internal RaBitQRotation(int dimension, float[] matrix)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        PaddedDimension = Pad(dimension);
        if (matrix.Length != (long)PaddedDimension * dimension)
        {
            throw new ArgumentException($"A rotation for {dimension} dimensions has {PaddedDimension} x {dimension} values, not {matrix.Length}.", nameof(matrix));
        }
        Matrix = matrix;
    }

    /// <summary>The vector's dimension (columns).</summary>
    internal int Dimension { get; }

    /// <summary>The rotated space's dimension (rows): the dimension rounded up to a multiple of 64, one 64-bit word per 64 bits.</summary>
    internal int PaddedDimension { get; }

    /// <summary>Row-major: row i is the i-th rotated coordinate's weights over the original dimensions.</summary>
    internal float[] Matrix { get; }

    /// <summary>Bytes held by the matrix.</summary>
    internal long MemoryBytes => (long)Matrix.Length * sizeof(float);

    /// <summary><paramref name="dimension"/> rounded up to a multiple of 64.</summary>
    internal static int Pad(int dimension) => (dimension + 63) / 64 * 64;

    /// <summary>Draws the seeded rotation for <paramref name="dimension"/>: orthonormal columns, so lengths and dot products are kept.</summary>
    internal static RaBitQRotation Create(int dimension, int seed = Seed)
    {
        int padded = Pad(dimension);
        // Rows of a padded x padded Gaussian matrix, orthonormalised (modified Gram-Schmidt in double, two passes).
        var random = new Random(seed);
        var rows = new double[padded][];
        for (int i = 0; i < padded; i++)
        {
            var row = new double[padded];
            for (int j = 0; j < padded; j++)
            {
                row[j] = Gaussian(random);
            }
            for (int pass = 0; pass < 2; pass++)
            {
                for (int k = 0; k < i; k++)
                {
                    double dot = 0;
                    double[] previous = rows[k];
                    for (int j = 0; j < padded; j++)
                    {
                        dot += row[j] * previous[j];
                    }
                    for (int j = 0; j < padded; j++)
                    {
                        row[j] -= dot * previous[j];
                    }
                }
            }
            double norm = 0;
            for (int j = 0; j < padded; j++)
            {
                norm += row[j] * row[j];
            }
            norm = Math.Sqrt(norm);
            for (int j = 0; j < padded; j++)
            {
                row[j] /= norm;
            }
            rows[i] = row;
        }
        // An orthogonal matrix's first `dimension` columns: a zero-padded vector's rotation only needs those.
        var matrix = new float[padded * dimension];
        for (int i = 0; i < padded; i++)
        {
            for (int j = 0; j < dimension; j++)
            {
                matrix[(i * dimension) + j] = (float)rows[i][j];
            }
        }
        return new RaBitQRotation(dimension, matrix);
    }

    /// <summary>Writes the rotation of <paramref name="vector"/> (<see cref="Dimension"/> values) into <paramref name="rotated"/> (<see cref="PaddedDimension"/>).</summary>
    internal void Apply(ReadOnlySpan<float> vector, Span<float> rotated)
    {
        ReadOnlySpan<float> matrix = Matrix;
        int dimension = Dimension;
        for (int i = 0; i < PaddedDimension; i++)
        {
            rotated[i] = TensorPrimitives.Dot(matrix.Slice(i * dimension, dimension), vector[..dimension]);
        }
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(); // (0, 1]: the log is finite
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
