using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using VectLite.Server.Grpc.Messages;
using VectLite.Server.Http;
using VectLite.Server.Qdrant;
using static VectLite.Server.Grpc.CollectionsService;
using PointsSelector = VectLite.Server.Qdrant.PointsSelector;

namespace VectLite.Server.Grpc;

/// <summary>
/// <c>qdrant.Points</c>: Upsert, Get, Delete, SetPayload, OverwritePayload, DeletePayload, ClearPayload,
/// CreateFieldIndex, DeleteFieldIndex, Search, SearchBatch, Scroll, Count, Query, QueryBatch. Each reads its request
/// into the REST form (<see cref="ProtoRequests"/>) or straight into records (<see cref="ProtoPoints"/>), and runs
/// through the same code as the REST endpoint. Vector updates, recommend, discover, groups, facets, matrices and
/// batch updates are not served (<c>UNIMPLEMENTED</c>).
/// </summary>
internal sealed class PointsService(ServerState state) : Points.PointsBase
{
    /// <summary>All or nothing: every point is read and checked before one <see cref="Collection.UpsertMany"/> writes them.</summary>
    public override async Task<PointsOperationResponse> Upsert(UpsertPoints request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        string name = request.CollectionName;
        Collection collection = state.Collection(name);
        if (request.UpdateFilter is not null)
        {
            throw QdrantException.Unsupported("a conditional upsert (`update_filter`)");
        }
        if (request.HasUpdateMode && request.UpdateMode != UpdateMode.Upsert)
        {
            throw QdrantException.Unsupported($"`update_mode` {request.UpdateMode}");
        }
        state.CheckBatch(request.Points.Count, "points");
        CollectionSchema schema = collection.Schema;
        List<Record> records = request.Points.Select(p => ProtoPoints.ToRecord(p, schema)).ToList();
        long op = await state.Write(name, () => collection.UpsertMany(records), context.CancellationToken).ConfigureAwait(false);
        return Completed(op, started);
    }

    public override Task<GetResponse> Get(GetPoints request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        Collection collection = state.Collection(request.CollectionName);
        RecordPage page = ScrollRunner.Retrieve(collection, ProtoRequests.Get(request), state);
        var response = new GetResponse();
        response.Result.AddRange(page.Records.Select(r => ProtoPoints.Retrieved(r, page)));
        response.Time = Elapsed(started);
        return Task.FromResult(response);
    }

    public override async Task<PointsOperationResponse> Delete(DeletePoints request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        string name = request.CollectionName;
        Collection collection = state.Collection(name);
        PointsSelector selector = PointsSelector.Read(ProtoRequests.Selector(request.Points), state);
        long op = await PointUpdates.Delete(state, name, collection, selector, context.CancellationToken).ConfigureAwait(false);
        return Completed(op, started);
    }

    /// <summary>Qdrant's set_payload: the given keys replace those stored (under <c>key</c>, a dot path, when set).</summary>
    public override Task<PointsOperationResponse> SetPayload(SetPayloadPoints request, ServerCallContext context)
    {
        JsonObject values = ProtoPayload.ToJson(request.Payload) ?? [];
        string? key = request.HasKey ? request.Key : null;
        return EditPayload(request.CollectionName, request.PointsSelector, current => PayloadEdit.Set(current, values, key), context);
    }

    public override Task<PointsOperationResponse> OverwritePayload(SetPayloadPoints request, ServerCallContext context)
    {
        if (request.HasKey)
        {
            throw QdrantException.Unsupported("`key` in an overwrite-payload request");
        }
        JsonObject values = ProtoPayload.ToJson(request.Payload) ?? [];
        return EditPayload(request.CollectionName, request.PointsSelector, _ => values.DeepClone().AsObject(), context);
    }

    public override Task<PointsOperationResponse> DeletePayload(DeletePayloadPoints request, ServerCallContext context)
    {
        List<string> keys = [.. request.Keys];
        return EditPayload(request.CollectionName, request.PointsSelector, current => PayloadEdit.DeleteKeys(current, keys), context);
    }

    public override Task<PointsOperationResponse> ClearPayload(ClearPayloadPoints request, ServerCallContext context) =>
        EditPayload(request.CollectionName, request.Points, _ => [], context);

    private async Task<PointsOperationResponse> EditPayload(string name, Messages.PointsSelector? points, Func<JsonObject?, JsonObject> compute, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        Collection collection = state.Collection(name);
        PointsSelector selector = PointsSelector.Read(ProtoRequests.Selector(points), state);
        compute(null); // validates the request before the gate is taken
        long op = await PointUpdates.EditPayload(state, name, collection, selector, compute, context.CancellationToken).ConfigureAwait(false);
        return Completed(op, started);
    }

    public override async Task<PointsOperationResponse> CreateFieldIndex(CreateFieldIndexCollection request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        string name = request.CollectionName;
        Collection collection = state.Collection(name);
        string field = FilterTranslator.Path(request.FieldName);
        PayloadIndexKind kind = PayloadIndexes.Parse(ProtoRequests.FieldSchema(request));
        long op = await state.Write(name, () => collection.CreatePayloadIndex(field, kind), context.CancellationToken).ConfigureAwait(false);
        return Completed(op, started);
    }

    /// <summary>Dropping an index that does not exist succeeds, as in Qdrant.</summary>
    public override async Task<PointsOperationResponse> DeleteFieldIndex(DeleteFieldIndexCollection request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        string name = request.CollectionName;
        Collection collection = state.Collection(name);
        string field = FilterTranslator.Path(request.FieldName);
        long op = await state.Write(name, () => collection.DropPayloadIndex(field), context.CancellationToken).ConfigureAwait(false);
        return Completed(op, started);
    }

    public override Task<SearchResponse> Search(SearchPoints request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        Collection collection = state.Collection(request.CollectionName);
        var response = new SearchResponse();
        response.Result.AddRange(ProtoPoints.Scored(RunSearch(collection, request)));
        response.Time = Elapsed(started);
        return Task.FromResult(response);
    }

    public override Task<SearchBatchResponse> SearchBatch(SearchBatchPoints request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        Collection collection = state.Collection(request.CollectionName);
        state.CheckBatch(request.SearchPoints.Count, "searches");
        var response = new SearchBatchResponse();
        foreach (SearchPoints search in request.SearchPoints)
        {
            var batch = new BatchResult();
            batch.Result.AddRange(ProtoPoints.Scored(RunSearch(collection, search)));
            response.Result.Add(batch);
        }
        response.Time = Elapsed(started);
        return Task.FromResult(response);
    }

    private static ScoredPoints RunSearch(Collection collection, SearchPoints search) =>
        QueryRunner.Run(collection, QueryRequest.ReadSearch(ProtoRequests.Search(search), collection.Schema));

    public override Task<QueryResponse> Query(QueryPoints request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        Collection collection = state.Collection(request.CollectionName);
        var response = new QueryResponse();
        response.Result.AddRange(ProtoPoints.Scored(QueryRunner.RunQuery(collection, ProtoRequests.Query(request))));
        response.Time = Elapsed(started);
        return Task.FromResult(response);
    }

    /// <summary>Every query names the batch's collection (Qdrant requires the same); the answers come back in request order.</summary>
    public override Task<QueryBatchResponse> QueryBatch(QueryBatchPoints request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        Collection collection = state.Collection(request.CollectionName);
        state.CheckBatch(request.QueryPoints.Count, "searches");
        var response = new QueryBatchResponse();
        foreach (QueryPoints query in request.QueryPoints)
        {
            var batch = new BatchResult();
            batch.Result.AddRange(ProtoPoints.Scored(QueryRunner.RunQuery(collection, ProtoRequests.Query(query))));
            response.Result.Add(batch);
        }
        response.Time = Elapsed(started);
        return Task.FromResult(response);
    }

    public override Task<ScrollResponse> Scroll(ScrollPoints request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        Collection collection = state.Collection(request.CollectionName);
        RecordPage page = ScrollRunner.Run(collection, ProtoRequests.Scroll(request));
        var response = new ScrollResponse();
        response.Result.AddRange(page.Records.Select(r => ProtoPoints.Retrieved(r, page)));
        if (page.NextPageOffset is { } next)
        {
            response.NextPageOffset = ProtoPoints.ToProto(next);
        }
        response.Time = Elapsed(started);
        return Task.FromResult(response);
    }

    /// <summary>Always exact, whatever <c>exact</c> says.</summary>
    public override Task<CountResponse> Count(CountPoints request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        Collection collection = state.Collection(request.CollectionName);
        JsonElement body = ProtoRequests.FilterOnly(request.Filter);
        long count = collection.Count(FilterTranslator.Translate(JsonFields.Get(body, "filter")));
        return Task.FromResult(new CountResponse { Result = new CountResult { Count = (ulong)count }, Time = Elapsed(started) });
    }

    /// <summary>VectLite applies every write before it answers: the status is always Completed, whatever <c>wait</c> says.</summary>
    private static PointsOperationResponse Completed(long operationId, long started) => new()
    {
        Result = new UpdateResult { OperationId = (ulong)operationId, Status = UpdateStatus.Completed },
        Time = Elapsed(started),
    };
}
