using System.Text.Json.Nodes;

namespace VectLite.Tests.Api;

/// <summary>The query forms a .NET caller holds (span, array, memory) search alike; hits carry the record's vector type.</summary>
public sealed class SearchOverloadTests
{
    private static readonly float[][] Points = [[0, 0], [3, 0], [1, 1], [5, 5], [2, 0]];

    [Fact]
    public void Span_array_and_memory_queries_return_the_brute_force_order()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2));
        for (int i = 0; i < Points.Length; i++)
        {
            c.Upsert(new Record((ulong)i, Points[i]));
        }

        float[] query = [2.1f, 0.2f];
        // Expected by hand: squared distances 4.45, 0.85, 1.85, 32.41, 0.05 -> ids 4, 1, 2, 0, 3.
        ulong[] expected = [4, 1, 2];
        var options = new SearchOptions { TopK = 3 };
        Assert.Equal(expected, c.Search(query, options).Select(h => h.Id.AsNumber));
        Assert.Equal(expected, c.Search(new ReadOnlyMemory<float>(query), options).Select(h => h.Id.AsNumber));
        Assert.Equal(expected, c.Search(query.AsSpan(), options).Select(h => h.Id.AsNumber));
        Assert.Equal(expected, c.Search([2.1f, 0.2f], options).Select(h => h.Id.AsNumber));
        ReadOnlyMemory<float> slice = new float[] { 9, 2.1f, 0.2f, 9 }.AsMemory(1, 2);
        Assert.Equal(expected, c.Search(slice, options).Select(h => h.Id.AsNumber));
        Assert.Throws<ArgumentNullException>(() => c.Search((float[])null!, options));
    }

    [Fact]
    public void Hit_vectors_have_the_record_vector_type()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.Cosine));
        float[] written = [0.1f, 3e-7f];
        c.Upsert(new Record(1, written, new JsonObject { ["a"] = 1 }));

        SearchHit hit = c.Search(written, new SearchOptions { IncludeVectors = true })[0];
        Assert.Equal(written, hit.Vector!.Value.ToArray()); // bit for bit, not normalised
        Assert.Equal(written, hit.Vectors![CollectionSchema.DefaultVectorName].ToArray());

        // A hit's vectors go into a record as they are: the same dictionary value type.
        var copy = new Record(2);
        foreach (KeyValuePair<string, ReadOnlyMemory<float>> named in hit.Vectors)
        {
            copy.Vectors[named.Key] = named.Value;
        }
        c.Upsert(copy);
        Assert.Equal(written, c.Get(2)!.Vector!.Value.ToArray());

        SearchHit bare = c.Search(written)[0];
        Assert.Null(bare.Vector);
        Assert.Null(bare.Vectors);
    }

    [Fact]
    public void Several_named_vectors_leave_the_single_vector_unset()
    {
        using Database db = Database.OpenInMemory();
        var schema = new CollectionSchema().AddVector("a", 2, Metric.L2).AddVector("b", 1, Metric.L2);
        Collection c = db.CreateCollection("c", schema);
        c.Upsert(new Record(1).WithVector("a", new float[] { 1, 2 }).WithVector("b", new float[] { 3 }));
        SearchHit hit = c.Search(new float[] { 1, 2 }, new SearchOptions { VectorName = "a", IncludeVectors = true })[0];
        Assert.Null(hit.Vector);
        Assert.Equal([3f], hit.Vectors!["b"].ToArray());
    }
}
