import { useId, useState } from "react";
import { Button, ErrorNotice, cx, inputClass } from "../components/ui.js";

const SPEC_PATTERN = /^(hf:[^/\s]+\/[^/\s]+\/\S+\.gguf|https?:\/\/\S+)$/i;
const EXAMPLE = "hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf";

/** A GGUF file from Hugging Face (`hf:owner/repo/file.gguf`) or any https:// URL, checked before it is sent. */
export function AddModelForm({
  onSubmit,
  submitLabel = "Download",
  className,
}: {
  onSubmit: (spec: string) => Promise<void>;
  submitLabel?: string;
  className?: string;
}) {
  const inputId = useId();
  const [spec, setSpec] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const value = spec.trim();
    if (!SPEC_PATTERN.test(value)) {
      setError(new Error(`Write hf:<owner>/<repo>/<file>.gguf or an https:// address, e.g. ${EXAMPLE}`));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(value);
      setSpec("");
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className={cx("space-y-2", className)}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label htmlFor={inputId} className="block text-sm font-medium">
        Model file from Hugging Face or a URL
      </label>
      <div className="flex flex-wrap gap-2">
        <input
          id={inputId}
          value={spec}
          onChange={(event) => setSpec(event.target.value)}
          placeholder="hf:owner/repo/model.gguf"
          spellCheck={false}
          className={cx(inputClass, "min-w-64 flex-1 font-mono")}
        />
        <Button type="submit" variant="primary" icon="download" busy={busy} disabled={!spec.trim()}>
          {submitLabel}
        </Button>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
    </form>
  );
}
