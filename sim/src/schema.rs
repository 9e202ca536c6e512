//! N-1 compatibility: the database has a schema version, each image lists the versions it can
//! read, and a migration in the timeline moves the schema. A request answered by an image that
//! cannot read the current schema fails with an application error that says so: the lesson of
//! expand/contract migrations, and of why some changes need Recreate.
use crate::cluster::Cluster;
use crate::events::Kind;
use crate::time::{fmt_secs, Ms};

impl Cluster {
    /// Why pod `i` cannot answer a request sent at `sent_at`, if the schema is the reason.
    #[inline(always)]
    pub(crate) fn schema_mismatch(&self, i: usize, sent_at: Ms) -> Option<String> {
        // Checked for every answer: most runs have no database at all.
        let (schema, since) = self.schema?;
        self.schema_mismatch_of(i, schema, since, sent_at)
    }

    fn schema_mismatch_of(&self, i: usize, schema: u32, since: Ms, sent_at: Ms) -> Option<String> {
        let pod = &self.pods[i];
        let reads = pod.behaviour.schemas.as_ref()?;
        if reads.contains(&schema) {
            return None;
        }
        let list: Vec<String> = reads.iter().map(u32::to_string).collect();
        let moved = if since > 0 {
            format!(" since the migration at {}", fmt_secs(since))
        } else {
            String::new()
        };
        Some(format!(
            "sent to {} ({}) at {}; the database is at schema {schema}{moved}, but this image reads only schema {}, so its query failed",
            pod.name,
            pod.image,
            fmt_secs(sent_at),
            list.join(" and ")
        ))
    }

    /// `db migrate N`: the schema moves at once (the migration itself takes no time here).
    pub(crate) fn migrate(&mut self, to: u32) -> Result<String, String> {
        let (from, _) = self
            .schema
            .ok_or("this scenario has no database (add `database: {schema: 1}` to it)")?;
        if from == to {
            return Err(format!("the database is already at schema {to}"));
        }
        self.schema = Some((to, self.now));
        let unable: Vec<String> = {
            let mut images: Vec<&str> = self
                .pods
                .iter()
                .filter(|p| p.deletion.is_none())
                .filter(|p| {
                    p.behaviour
                        .schemas
                        .as_ref()
                        .is_some_and(|s| !s.contains(&to))
                })
                .map(|p| p.image.as_str())
                .collect();
            crate::order::sort_by(&mut images, |a, b| a.cmp(b));
            images.dedup();
            images.into_iter().map(str::to_string).collect()
        };
        let msg = format!("Migrated the database schema from {from} to {to}");
        let kind = if unable.is_empty() {
            Kind::Normal
        } else {
            Kind::Warning
        };
        self.events.push(
            self.now,
            kind,
            "SchemaMigrated",
            "database/app",
            msg.clone(),
        );
        Ok(if unable.is_empty() {
            msg
        } else {
            format!(
                "{msg}; running pods of {} cannot read schema {to}",
                unable.join(", ")
            )
        })
    }
}
