/** Saves text as a file through a temporary Blob URL: nothing leaves the device. */
export function downloadText(fileName: string, text: string, type = 'application/json'): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = fileName;
	document.body.append(a);
	a.click();
	a.remove();
	// Some browsers start the download asynchronously; revoking at once can cancel it.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
