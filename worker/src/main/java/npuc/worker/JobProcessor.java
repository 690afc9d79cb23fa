package npuc.worker;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import npuc.BadInputException;
import npuc.messages.CompileJob;
import npuc.messages.CompileResult;
import npuc.messages.CompileTarget;
import npuc.messages.ResultStatus;
import npuc.worker.codec.MalformedMessageException;
import npuc.worker.codec.MessageCodec;
import npuc.worker.storage.StorageException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns one job message into its outcome: decode, check, fetch the model once, compile every target in
 * parallel within the target deadline, upload each target's artifacts, prepare the dead letter. Never throws
 * and never completes exceptionally. What the job causes (a malformed message, a missing or corrupt model, a
 * target that does not compile or is over its deadline) becomes a result saying why; a fault of the store
 * (unreachable, refusing the credentials) defers the whole job instead, never failing it.
 */
public final class JobProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(JobProcessor.class);
    /** Characters of an error a result carries; a compiler message longer than this is cut. */
    static final int MAX_ERROR_CHARS = 4096;

    private final DeadlineCompiler compiler;
    private final ModelCache models;
    private final ArtifactStore artifacts;
    private final DeadLetters deadLetters;
    private final MessageCodec codec;
    private final JobPolicy policy;
    private final Executor storagePool;
    private final String workerId;
    private final String version;

    JobProcessor(DeadlineCompiler compiler, ModelCache models, ArtifactStore artifacts, DeadLetters deadLetters,
            MessageCodec codec, JobPolicy policy, Executor storagePool, String workerId, String version) {
        this.compiler = compiler;
        this.models = models;
        this.artifacts = artifacts;
        this.deadLetters = deadLetters;
        this.codec = codec;
        this.policy = policy;
        this.storagePool = storagePool;
        this.workerId = workerId;
        this.version = version;
    }

    /** A model fetch yields the model, the reason every target fails, or the store's fault. */
    private record Fetched(Optional<ModelBytes> model, String failure, Optional<StorageException> fault) {
    }

    /** One target's result, or the store's fault that defers the job. */
    private record Step(CompileResult result, Optional<StorageException> fault) {
        static Step of(CompileResult result) {
            return new Step(result, Optional.empty());
        }
    }

    /** Starts the work on one record; decoding happens here, on the caller's thread, and never throws. */
    public JobRun start(ConsumerRecord<byte[], byte[]> record) {
        CompileJob job;
        try {
            job = codec.decodeJob(record.value(), record.headers(), Instant.ofEpochMilli(record.timestamp()));
        } catch (MalformedMessageException e) {
            return invalid(record, keyOf(record), List.of(""), "malformed job message: " + e.getMessage());
        } catch (Throwable e) {
            // Whatever a message does to the decoder, even exhausting the heap, costs that message only.
            return invalid(record, keyOf(record), List.of(""), "undecodable job message: " + e);
        }
        try {
            return run(record, JobRequest.from(job, policy.storage()));
        } catch (MalformedMessageException | RuntimeException e) {
            List<String> targets = job.getTargets().stream().map(CompileTarget::getName).toList();
            return invalid(record, job.getJobId(), targets.isEmpty() ? List.of("") : targets,
                "invalid job: " + e.getMessage());
        }
    }

    private static String keyOf(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null
            ? record.topic() + "-" + record.partition() + "@" + record.offset()
            : new String(record.key(), StandardCharsets.UTF_8);
    }

    private JobRun invalid(ConsumerRecord<byte[], byte[]> record, String jobId, List<String> targets, String reason) {
        List<CompileResult> results = targets.stream()
            .map(target -> result(jobId, target, "", null, ResultStatus.INVALID, reason, Map.of(), Map.of(), 0))
            .toList();
        JobRun run = new JobRun(new CompletableFuture<>());
        CompletableFuture.runAsync(() -> finish(run, record, jobId, results), storagePool);
        return run;
    }

    private JobRun run(ConsumerRecord<byte[], byte[]> record, JobRequest job) {
        JobRun run = new JobRun(new CompletableFuture<>());
        CompletableFuture<Fetched> fetched = CompletableFuture.supplyAsync(() -> fetch(job), storagePool);
        List<CompletableFuture<Step>> targets = new ArrayList<>();
        for (TargetSpec target : job.targets()) {
            targets.add(fetched.thenComposeAsync(model -> {
                if (model.fault().isPresent()) {
                    return CompletableFuture.completedFuture(new Step(null, model.fault()));
                }
                if (model.model().isEmpty()) {
                    return CompletableFuture.completedFuture(Step.of(failed(job, target, model.failure(), 0, null)));
                }
                ModelBytes bytes = model.model().get();
                return compiler.compile(run, job.jobId(), bytes, target)
                    .thenApplyAsync(compiled -> store(run, job, bytes, target, compiled), storagePool);
            }, storagePool).exceptionally(e -> Step.of(failed(job, target, "internal error: " + e, 0, null))));
        }
        CompletableFuture.allOf(targets.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            List<Step> steps = targets.stream().map(CompletableFuture::join).toList();
            Optional<StorageException> fault = steps.stream().flatMap(s -> s.fault().stream()).findFirst();
            if (fault.isPresent()) {
                run.outcome().complete(new JobOutcome.Deferred(fault.get()));
            } else {
                finish(run, record, job.jobId(), steps.stream().map(Step::result).toList());
            }
        });
        return run;
    }

    /** Completes the run with its results and dead letter, or defers it when the dead letter's report cannot be stored. */
    private void finish(JobRun run, ConsumerRecord<byte[], byte[]> record, String jobId, List<CompileResult> results) {
        try (MDC.MDCCloseable context = MDC.putCloseable(LogKeys.JOB_ID, jobId)) {
            run.outcome().complete(new JobOutcome.Finished(new JobReport(jobId, results,
                deadLetters.of(record, jobId, results))));
        } catch (StorageException e) {
            run.outcome().complete(new JobOutcome.Deferred(e));
        } catch (RuntimeException e) {
            LOG.error("preparing the dead letter of job {} failed", jobId, e);
            run.outcome().complete(new JobOutcome.Finished(new JobReport(jobId, results, Optional.of(new DeadLetter(
                "internal error preparing the dead letter: " + e, "", Optional.empty(), Optional.empty())))));
        }
    }

    private Fetched fetch(JobRequest job) {
        try (MDC.MDCCloseable context = MDC.putCloseable(LogKeys.JOB_ID, job.jobId())) {
            LOG.debug("fetching {}", job.model());
            return new Fetched(Optional.of(models.fetch(job.model(), job.modelSha256(), job.modelName())), "",
                Optional.empty());
        } catch (BadInputException e) {
            return new Fetched(Optional.empty(), e.getMessage(), Optional.empty());
        } catch (StorageException e) {
            return new Fetched(Optional.empty(), "", Optional.of(e));
        } catch (RuntimeException e) {
            LOG.error("fetching {} for job {} failed", job.model(), job.jobId(), e);
            return new Fetched(Optional.empty(), "internal error fetching the model: " + e, Optional.empty());
        }
    }

    private Step store(JobRun run, JobRequest job, ModelBytes model, TargetSpec target,
            DeadlineCompiler.Compiled compiled) {
        try (MDC.MDCCloseable context = MDC.putCloseable(LogKeys.JOB_ID, job.jobId());
             MDC.MDCCloseable targetContext = MDC.putCloseable(LogKeys.TARGET, target.name())) {
            if (compiled.outcome().isEmpty()) {
                return Step.of(failed(job, target, compiled.failure(), compiled.millis(), model.sha256(),
                    compiled.signature().map(Object::toString).orElse(null)));
            }
            if (run.isCancelled()) {
                return Step.of(failed(job, target, "cancelled", compiled.millis(), model.sha256()));
            }
            TargetOutcome outcome = compiled.outcome().get();
            Map<String, String> uris = artifacts.store(job, target, outcome);
            return Step.of(result(job.jobId(), target.name(), job.model().toString(), model.sha256(), ResultStatus.OK,
                null, uris, outcome.summaryMetrics(), compiled.millis()));
        } catch (StorageException e) {
            // The job's other targets need not run: the whole job is done again once the store answers.
            run.cancel("the store failed another target of the job");
            return new Step(null, Optional.of(e));
        }
    }

    private CompileResult failed(JobRequest job, TargetSpec target, String reason, long millis, String sha) {
        return failed(job, target, reason, millis, sha, null);
    }

    private CompileResult failed(JobRequest job, TargetSpec target, String reason, long millis, String sha,
            String signature) {
        CompileResult failed = result(job.jobId(), target.name(), job.model().toString(),
            sha != null ? sha : job.modelSha256().orElse(null), ResultStatus.FAILED, reason, Map.of(), Map.of(), millis);
        failed.setFailureSignature(signature);
        return failed;
    }

    private CompileResult result(String jobId, String target, String modelUri, String sha, ResultStatus status,
            String error, Map<String, String> artifactUris, Map<String, String> metrics, long millis) {
        return CompileResult.newBuilder()
            .setJobId(jobId)
            .setTargetName(target)
            .setStatus(status)
            .setError(error == null || error.length() <= MAX_ERROR_CHARS ? error
                : error.substring(0, MAX_ERROR_CHARS) + "... (" + (error.length() - MAX_ERROR_CHARS) + " more characters)")
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
}
