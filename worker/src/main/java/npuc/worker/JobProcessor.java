package npuc.worker;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import npuc.BadInputException;
import npuc.FailureSignature;
import npuc.messages.CompileJob;
import npuc.messages.CompileResult;
import npuc.messages.CompileTarget;
import npuc.messages.ResultStatus;
import npuc.worker.codec.MalformedMessageException;
import npuc.worker.codec.MessageCodec;
import npuc.worker.ops.WorkerMetrics;
import npuc.worker.storage.StorageException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns one job message into its report: decode, check, fetch the model once, compile every target in
 * parallel on the compile pool, upload each target's artifacts. Never throws and never completes
 * exceptionally: a malformed message, a missing or corrupt model, a compiler error or a failing store
 * each becomes a result saying why.
 */
public final class JobProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(JobProcessor.class);

    private final TargetCompiler compiler;
    private final ModelCache models;
    private final ArtifactStore artifacts;
    private final MessageCodec codec;
    private final Executor compilePool;
    private final Executor storagePool;
    private final String workerId;
    private final String version;
    private final WorkerMetrics metrics;

    public JobProcessor(TargetCompiler compiler, ModelCache models, ArtifactStore artifacts, MessageCodec codec,
            Executor compilePool, Executor storagePool, String workerId, String version, WorkerMetrics metrics) {
        this.compiler = compiler;
        this.models = models;
        this.artifacts = artifacts;
        this.codec = codec;
        this.compilePool = compilePool;
        this.storagePool = storagePool;
        this.workerId = workerId;
        this.version = version;
        this.metrics = metrics;
    }

    /** A model fetch either yields the model or the reason every target fails. */
    private record Fetched(Optional<ModelBytes> model, String failure) {
    }

    /**
     * A compile either yields an outcome or the reason it failed, with the time it took; an internal error also
     * its signature.
     */
    private record Compiled(Optional<TargetOutcome> outcome, String failure, long millis,
                            Optional<FailureSignature> signature) {
        Compiled(Optional<TargetOutcome> outcome, String failure, long millis) {
            this(outcome, failure, millis, Optional.empty());
        }
    }

    public JobRun start(ConsumerRecord<byte[], byte[]> record) {
        CompileJob job;
        try {
            job = codec.decodeJob(record.value(), record.headers(), Instant.ofEpochMilli(record.timestamp()));
        } catch (MalformedMessageException | RuntimeException e) {
            String reason = "malformed job message: " + e.getMessage();
            String jobId = record.key() == null
                ? record.topic() + "-" + record.partition() + "@" + record.offset()
                : new String(record.key(), StandardCharsets.UTF_8);
            return JobRun.finished(new JobReport(jobId,
                List.of(result(jobId, "", "", null, ResultStatus.INVALID, reason, Map.of(), Map.of(), 0)),
                Optional.of(reason)));
        }
        JobRequest request;
        try {
            request = JobRequest.from(job);
        } catch (MalformedMessageException | RuntimeException e) {
            String reason = "invalid job: " + e.getMessage();
            List<CompileResult> results = new ArrayList<>();
            for (CompileTarget target : job.getTargets()) {
                results.add(result(job.getJobId(), target.getName(), job.getModelUri(), job.getModelSha256(),
                    ResultStatus.INVALID, reason, Map.of(), Map.of(), 0));
            }
            if (results.isEmpty()) {
                results.add(result(job.getJobId(), "", job.getModelUri(), job.getModelSha256(),
                    ResultStatus.INVALID, reason, Map.of(), Map.of(), 0));
            }
            return JobRun.finished(new JobReport(job.getJobId(), results, Optional.of(reason)));
        }
        return run(request);
    }

    private JobRun run(JobRequest job) {
        CompletableFuture<JobReport> report = new CompletableFuture<>();
        JobRun run = new JobRun(report);
        CompletableFuture<Fetched> fetched = CompletableFuture.supplyAsync(() -> fetch(job), storagePool);
        List<CompletableFuture<CompileResult>> targets = new ArrayList<>();
        for (TargetSpec target : job.targets()) {
            targets.add(fetched.thenComposeAsync(model -> {
                if (model.model().isEmpty()) {
                    return CompletableFuture.completedFuture(failed(job, target, model.failure(), 0));
                }
                ModelBytes bytes = model.model().get();
                return CompletableFuture
                    .supplyAsync(() -> compile(run, job.jobId(), bytes, target), compilePool)
                    .thenApplyAsync(compiled -> store(run, job, bytes, target, compiled), storagePool);
            }, storagePool).exceptionally(e -> failed(job, target, "internal error: " + e, 0)));
        }
        CompletableFuture.allOf(targets.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            List<CompileResult> results = targets.stream().map(CompletableFuture::join).toList();
            report.complete(new JobReport(job.jobId(), results, deadLetterReason(results)));
        });
        return run;
    }

    private Fetched fetch(JobRequest job) {
        try (MDC.MDCCloseable context = MDC.putCloseable(LogKeys.JOB_ID, job.jobId())) {
            LOG.debug("fetching {}", job.model());
            return new Fetched(Optional.of(models.fetch(job.model(), job.modelSha256(), job.modelName())), "");
        } catch (BadInputException e) {
            return new Fetched(Optional.empty(), e.getMessage());
        } catch (StorageException e) {
            return new Fetched(Optional.empty(), "cannot read the model: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("fetching {} for job {} failed", job.model(), job.jobId(), e);
            return new Fetched(Optional.empty(), "internal error fetching the model: " + e);
        }
    }

    private Compiled compile(JobRun run, String jobId, ModelBytes model, TargetSpec target) {
        if (run.isCancelled()) {
            return new Compiled(Optional.empty(), "cancelled", 0);
        }
        try (MDC.MDCCloseable job = MDC.putCloseable(LogKeys.JOB_ID, jobId);
             MDC.MDCCloseable context = MDC.putCloseable(LogKeys.TARGET, target.name())) {
            Compiled compiled = compileTimed(model, target);
            LOG.debug("target {} compiled in {} ms{}", target.name(), compiled.millis(),
                compiled.outcome().isPresent() ? "" : ": " + compiled.failure());
            return compiled;
        }
    }

    private Compiled compileTimed(ModelBytes model, TargetSpec target) {
        long start = System.nanoTime();
        Compiled compiled = compileOnce(model, target, start);
        metrics.compiled(target.accelerator(), target.memoryMode(), compiled.outcome().isPresent(),
            System.nanoTime() - start);
        return compiled;
    }

    private Compiled compileOnce(ModelBytes model, TargetSpec target, long start) {
        try {
            TargetOutcome outcome = compiler.compile(model, target);
            return new Compiled(Optional.of(outcome), "", millisSince(start));
        } catch (BadInputException e) {
            return new Compiled(Optional.empty(), e.getMessage(), millisSince(start));
        } catch (RuntimeException | StackOverflowError e) {
            // A compiler bug must cost one target, never the worker.
            FailureSignature signature = FailureSignature.of(e);
            LOG.error("compiling {} for target {} failed unexpectedly [{}]", model.name(), target.name(), signature, e);
            return new Compiled(Optional.empty(), "internal compiler error [" + signature + "]: " + e.getMessage(),
                millisSince(start), Optional.of(signature));
        } catch (OutOfMemoryError e) {
            return new Compiled(Optional.empty(), "out of memory compiling " + model.name() + " for " + target.name(),
                millisSince(start));
        }
    }

    private CompileResult store(JobRun run, JobRequest job, ModelBytes model, TargetSpec target, Compiled compiled) {
        try (MDC.MDCCloseable context = MDC.putCloseable(LogKeys.JOB_ID, job.jobId());
             MDC.MDCCloseable targetContext = MDC.putCloseable(LogKeys.TARGET, target.name())) {
            return storeOutcome(run, job, model, target, compiled);
        }
    }

    private CompileResult storeOutcome(JobRun run, JobRequest job, ModelBytes model, TargetSpec target,
            Compiled compiled) {
        if (compiled.outcome().isEmpty()) {
            CompileResult failed = failed(job, target, compiled.failure(), compiled.millis(), model.sha256());
            compiled.signature().ifPresent(s -> failed.setFailureSignature(s.toString()));
            return failed;
        }
        if (run.isCancelled()) {
            return failed(job, target, "cancelled", compiled.millis(), model.sha256());
        }
        TargetOutcome outcome = compiled.outcome().get();
        try {
            Map<String, String> uris = artifacts.store(job, target, outcome);
            return result(job.jobId(), target.name(), job.model().toString(), model.sha256(), ResultStatus.OK, null,
                uris, outcome.summaryMetrics(), compiled.millis());
        } catch (StorageException e) {
            return failed(job, target, "cannot store artifacts: " + e.getMessage(), compiled.millis(), model.sha256());
        }
    }

    private CompileResult failed(JobRequest job, TargetSpec target, String reason, long millis) {
        return failed(job, target, reason, millis, job.modelSha256().orElse(null));
    }

    private CompileResult failed(JobRequest job, TargetSpec target, String reason, long millis, String sha) {
        return result(job.jobId(), target.name(), job.model().toString(), sha, ResultStatus.FAILED, reason,
            Map.of(), Map.of(), millis);
    }

    private CompileResult result(String jobId, String target, String modelUri, String sha, ResultStatus status,
            String error, Map<String, String> artifactUris, Map<String, String> metrics, long millis) {
        return CompileResult.newBuilder()
            .setJobId(jobId)
            .setTargetName(target)
            .setStatus(status)
            .setError(error)
            .setModelUri(modelUri)
            .setModelSha256(sha)
            .setArtifacts(artifactUris)
            .setMetrics(metrics)
            .setCompileMillis(millis)
            .setWorkerId(workerId)
            .setNpucVersion(version)
            .setFinishedAt(Instant.now())
            .build();
    }

    /** One reason per distinct error: a missing model fails every target alike and is said once. */
    static Optional<String> deadLetterReason(List<CompileResult> results) {
        Set<String> reasons = new LinkedHashSet<>();
        List<String> failedTargets = new ArrayList<>();
        for (CompileResult result : results) {
            if (result.getStatus() != ResultStatus.OK) {
                reasons.add(result.getError());
                failedTargets.add(result.getTargetName());
            }
        }
        if (reasons.isEmpty()) {
            return Optional.empty();
        }
        String joined = String.join("; ", reasons);
        return Optional.of(failedTargets.size() < results.size()
            ? "targets " + String.join(", ", failedTargets) + " failed: " + joined
            : joined);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
