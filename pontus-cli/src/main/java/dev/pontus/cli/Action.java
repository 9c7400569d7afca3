package dev.pontus.cli;

import dev.pontus.StorageException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * What the audit does to an object it found wrong, only when asked: move it under a quarantine prefix, delete it,
 * or tag it. Each is conditional on the ETag that was checked, so that an object replaced since (a new upload under
 * the same key) is left alone and reported as {@link ActionOutcome.Status#CHANGED}. With {@code dryRun} nothing is
 * changed and the outcome says what would be done.
 */
abstract class Action {
    /** S3's limit for one CopyObject; a larger finding is reported, not moved. */
    static final long MAX_COPY = 5L * 1024 * 1024 * 1024;

    static final Action NONE = new Action(null, null, false) {
        @Override
        ActionOutcome act(Finding finding) {
            return ActionOutcome.NONE;
        }

        @Override
        String name() {
            return "";
        }

        @Override
        String plan(Finding finding) {
            return "";
        }
    };

    final S3Client s3;
    final String bucket;
    final boolean dryRun;

    private Action(S3Client s3, String bucket, boolean dryRun) {
        this.s3 = s3;
        this.bucket = bucket;
        this.dryRun = dryRun;
    }

    /** Applies the action to a checked finding; never throws for a failure of the store, it reports it. */
    final ActionOutcome apply(Finding finding) {
        if (this == NONE || !finding.checked()) {
            return ActionOutcome.NONE;
        }
        if (dryRun) {
            return new ActionOutcome(name(), ActionOutcome.Status.DRY_RUN, "would " + plan(finding));
        }
        try {
            return act(finding);
        } catch (SdkException e) {
            return failed(
                    StorageException.of(name() + " of " + uri(finding.key()), e).getMessage());
        }
    }

    abstract ActionOutcome act(Finding finding);

    abstract String name();

    /** What it would do, after "would". */
    abstract String plan(Finding finding);

    ActionOutcome done(String detail) {
        return new ActionOutcome(name(), ActionOutcome.Status.DONE, detail);
    }

    ActionOutcome changed(String detail) {
        return new ActionOutcome(name(), ActionOutcome.Status.CHANGED, detail);
    }

    ActionOutcome failed(String detail) {
        return new ActionOutcome(name(), ActionOutcome.Status.FAILED, detail);
    }

    String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    static boolean changedOrGone(S3Exception e) {
        return e.statusCode() == 412 || e.statusCode() == 404;
    }

    static final String LEFT_ALONE = "it was replaced or deleted after the check; left alone";

    /** Moves a finding to {@code prefix + key}: a copy if the source is still the checked one, then a delete if so. */
    static Action quarantine(S3Client s3, String bucket, String prefix, boolean dryRun) {
        return new Action(s3, bucket, dryRun) {
            @Override
            String name() {
                return "quarantine";
            }

            @Override
            String plan(Finding finding) {
                return "move to " + prefix + finding.key();
            }

            @Override
            ActionOutcome act(Finding finding) {
                String target = prefix + finding.key();
                if (finding.size() > MAX_COPY) {
                    return failed("larger than 5 GiB, the most one copy moves; move it by hand");
                }
                try {
                    s3.copyObject(b -> b.sourceBucket(bucket)
                            .sourceKey(finding.key())
                            .destinationBucket(bucket)
                            .destinationKey(target)
                            .copySourceIfMatch(finding.eTag())
                            .metadataDirective(MetadataDirective.COPY));
                } catch (S3Exception e) {
                    if (changedOrGone(e)) {
                        return changed(LEFT_ALONE);
                    }
                    throw e;
                }
                try {
                    s3.deleteObject(b -> b.bucket(bucket).key(finding.key()).ifMatch(finding.eTag()));
                } catch (S3Exception e) {
                    if (e.statusCode() == 412) {
                        return changed("copied to " + target + ", but the original was replaced after the check and"
                                + " stays where it is");
                    }
                    if (e.statusCode() != 404) {
                        return failed("copied to " + target + ", but the original could not be deleted: "
                                + StorageException.of("Deleting", e).getMessage());
                    }
                }
                return done(target);
            }
        };
    }

    /** Deletes a finding if it is still the checked object ({@code If-Match}). */
    static Action delete(S3Client s3, String bucket, boolean dryRun) {
        return new Action(s3, bucket, dryRun) {
            @Override
            String name() {
                return "delete";
            }

            @Override
            String plan(Finding finding) {
                return "delete " + uri(finding.key());
            }

            @Override
            ActionOutcome act(Finding finding) {
                try {
                    s3.deleteObject(b -> b.bucket(bucket).key(finding.key()).ifMatch(finding.eTag()));
                } catch (S3Exception e) {
                    if (changedOrGone(e)) {
                        return changed(LEFT_ALONE);
                    }
                    throw e;
                }
                return done("deleted");
            }
        };
    }

    /**
     * Tags a finding with {@code name} = its codes joined by '+'. S3's PutObjectTagging takes no {@code If-Match},
     * so the tag is made conditional around it: a HEAD with {@code If-Match} first; on a versioned bucket, the
     * tagging names the checked version; otherwise a HEAD after it, and a tag that landed on a replacement is taken
     * off again.
     */
    static Action tag(S3Client s3, String bucket, String name, boolean dryRun) {
        return new Action(s3, bucket, dryRun) {
            @Override
            String name() {
                return "tag";
            }

            @Override
            String plan(Finding finding) {
                return "tag " + name + "=" + value(finding);
            }

            @Override
            ActionOutcome act(Finding finding) {
                HeadObjectResponse before;
                try {
                    before = s3.headObject(
                            b -> b.bucket(bucket).key(finding.key()).ifMatch(finding.eTag()));
                } catch (S3Exception e) {
                    if (changedOrGone(e)) {
                        return changed(LEFT_ALONE);
                    }
                    throw e;
                }
                String version = versioned(before.versionId()) ? before.versionId() : null;
                List<Tag> tags = new ArrayList<>(s3.getObjectTagging(
                                b -> b.bucket(bucket).key(finding.key()).versionId(version))
                        .tagSet());
                tags.removeIf(t -> t.key().equals(name));
                Tag ours = Tag.builder().key(name).value(value(finding)).build();
                tags.add(ours);
                s3.putObjectTagging(b ->
                        b.bucket(bucket).key(finding.key()).versionId(version).tagging(t -> t.tagSet(tags)));
                if (version != null || sameAfter(finding)) {
                    return done(name + "=" + ours.value());
                }
                untag(finding.key(), ours);
                return changed(LEFT_ALONE);
            }

            private boolean sameAfter(Finding finding) {
                try {
                    return finding.eTag()
                            .equals(s3.headObject(b -> b.bucket(bucket).key(finding.key()))
                                    .eTag());
                } catch (S3Exception e) {
                    if (e.statusCode() == 404) {
                        return false;
                    }
                    throw e;
                }
            }

            /** Takes our tag off a replacement it may have landed on. */
            private void untag(String key, Tag ours) {
                try {
                    List<Tag> now = new ArrayList<>(
                            s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet());
                    if (!now.remove(ours)) {
                        return;
                    }
                    if (now.isEmpty()) { // the replacement had no tags of its own
                        s3.deleteObjectTagging(b -> b.bucket(bucket).key(key));
                    } else {
                        s3.putObjectTagging(b -> b.bucket(bucket).key(key).tagging(t -> t.tagSet(now)));
                    }
                } catch (S3Exception e) {
                    if (e.statusCode() != 404) {
                        throw e;
                    }
                }
            }
        };
    }

    /** The codes joined by '+', which S3 allows in a tag value (a comma it does not). */
    static String value(Finding finding) {
        return String.join("+", finding.codes());
    }

    private static boolean versioned(String versionId) {
        return versionId != null && !versionId.isEmpty() && !versionId.equals("null");
    }
}
