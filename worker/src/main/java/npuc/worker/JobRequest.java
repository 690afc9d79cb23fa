package npuc.worker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

import npuc.messages.CompileJob;
import npuc.messages.CompileTarget;
import npuc.worker.codec.MalformedMessageException;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.StorageScope;

/**
 * A compile job checked for sense: locations parse and lie where the worker may read and write, targets exist
 * and have distinct names, and every name that becomes part of an object key (job id, target, model, system
 * config) is safe as one path segment. Everything the worker needs, in its own types.
 */
public record JobRequest(
    String jobId,
    S3Location model,
    Optional<String> modelSha256,
    S3Location outputPrefix,
    List<TargetSpec> targets) {

    /** Names become key segments: no slashes, no dot-only names, nothing a shell or console would mangle. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._=+-]{0,127}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    public JobRequest {
        targets = List.copyOf(targets);
    }

    /** Checks a job where the worker's storage scope is not known: before it is sent. */
    public static JobRequest from(CompileJob job) throws MalformedMessageException {
        return from(job, StorageScope.anywhere());
    }

    /** Checks a job for a worker that may read and write only within {@code scope}. */
    public static JobRequest from(CompileJob job, StorageScope scope) throws MalformedMessageException {
        String jobId = job.getJobId();
        if (!SAFE_NAME.matcher(jobId).matches()) {
            throw new MalformedMessageException("job id \"" + jobId + "\" is not a safe name (letters, digits, . _ = + -)");
        }
        S3Location model = location("model URI", job.getModelUri());
        if (model.key().isEmpty()) {
            throw new MalformedMessageException("model URI " + job.getModelUri() + " names a bucket, not an object");
        }
        refuse(scope.modelProblem(model));
        String modelName = modelName(model);
        refuse(S3Location.segmentProblem(modelName).map(p -> "model name: " + p));
        S3Location output = location("output prefix", job.getOutputPrefix());
        refuse(scope.outputProblem(output));
        Optional<String> sha = Optional.ofNullable(job.getModelSha256());
        if (sha.isPresent() && !SHA256.matcher(sha.get()).matches()) {
            throw new MalformedMessageException("modelSha256 is not 64 hex digits: " + sha.get());
        }
        if (job.getTargets().isEmpty()) {
            throw new MalformedMessageException("job " + jobId + " has no targets");
        }
        Set<String> names = new HashSet<>();
        List<TargetSpec> targets = new ArrayList<>();
        Optional<String> configFile = Optional.ofNullable(job.getConfigFile());
        for (CompileTarget target : job.getTargets()) {
            if (!SAFE_NAME.matcher(target.getName()).matches()) {
                throw new MalformedMessageException("target name \"" + target.getName() + "\" is not a safe name");
            }
            if (!names.add(target.getName())) {
                throw new MalformedMessageException("target name \"" + target.getName() + "\" appears twice");
            }
            refuse(S3Location.segmentProblem(target.getSystemConfig())
                .map(p -> "target " + target.getName() + ": system config " + p));
            Long arena = target.getArenaCacheSize();
            if (arena != null && arena < 0) {
                throw new MalformedMessageException("target " + target.getName() + ": negative arena cache size " + arena);
            }
            targets.add(new TargetSpec(target.getName(), target.getAccelerator(), target.getSystemConfig(),
                target.getMemoryMode(), arena == null ? OptionalLong.empty() : OptionalLong.of(arena),
                npuc.schedule.OptimizationStrategy.valueOf(target.getStrategy().name()), target.getExtraOptions(), configFile));
        }
        return new JobRequest(jobId, model, sha.map(String::toLowerCase), output, targets);
    }

    private static void refuse(Optional<String> problem) throws MalformedMessageException {
        if (problem.isPresent()) {
            throw new MalformedMessageException(problem.get());
        }
    }

    private static S3Location location(String what, String uri) throws MalformedMessageException {
        try {
            return S3Location.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(what + ": " + e.getMessage(), e);
        }
    }

    /** The model's name: its file name without the .tflite extension. */
    public String modelName() {
        return modelName(model);
    }

    private static String modelName(S3Location model) {
        String file = model.fileName();
        return file.endsWith(".tflite") ? file.substring(0, file.length() - ".tflite".length()) : file;
    }

    /** Where a target's artifacts go: the same key on every delivery of the job, so a redelivery overwrites. */
    public S3Location artifactFolder(TargetSpec target) {
        return outputPrefix.resolve(jobId, target.name());
    }
}
